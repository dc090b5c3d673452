import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn } from '../../server/auth/login';
import { settleResetMail } from '../../server/auth/password-reset';
import { recordLoginAttempt, checkLoginThrottle } from '../../server/auth/throttle';
import { getConfig } from '../../server/config';
import type { Role } from '../../server/db/types';
import { createMailer, type Mailer, type OutgoingMail } from '../../server/mail/mailer';
import { createCaller } from '../../server/root';
import { useTestDatabase } from './support/db';
import {
	FIXTURE_PASSWORD,
	insertCompany,
	insertCustomer,
	insertPartner,
	insertUser
} from './support/fixtures';
import { startSmtpReceiver } from './support/smtp-receiver';

/**
 * Issue 19, item 2: «Забыли пароль?» by e-mail, through a real SMTP exchange (nodemailer to
 * a local smtp-server), for every role that signs in with an e-mail and a password.
 */
const t = useTestDatabase({ truncate: true });
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let mailer: Mailer;

beforeAll(async () => {
	smtp = await startSmtpReceiver();
	mailer = createMailer(getConfig({ ...process.env, SMTP_URL: smtp.url }));
});
afterAll(() => smtp.close());

const NEW_PASSWORD = 'новый пароль у моря 2026';

function api(options: { ip?: string; clock?: () => Date; mailer?: Mailer } = {}) {
	return createCaller({
		db: t.db,
		user: null,
		session: null,
		ip: options.ip ?? '203.0.113.7',
		request: new Request('http://kopek.test/login/forgot', { method: 'POST' }),
		clock: options.clock,
		mailer: options.mailer ?? mailer
	});
}

async function refusalOf(call: Promise<unknown>): Promise<TRPCError> {
	try {
		await call;
	} catch (error) {
		if (error instanceof TRPCError) return error;
		throw error;
	}
	throw new Error('expected a refusal, got an answer');
}

/** The token of the one link in a mail (the mail's link points to the request's origin). */
function tokenIn(text: string): string {
	const links = [...text.matchAll(/http:\/\/kopek\.test\/login\/reset\?token=([A-Za-z0-9_-]+)/g)];
	expect(links).toHaveLength(1);
	return links[0]![1]!;
}

async function accountOf(role: Role) {
	await insertPartner(t.db, 1, 5);
	const links =
		role === 'partner'
			? { partnerId: 1 }
			: role === 'company'
				? { companyId: await insertCompany(t.db, { partnerId: 1 }) }
				: role === 'customer'
					? { customerId: await insertCustomer(t.db, '123455') }
					: {};
	return insertUser(t.db, role, links);
}

async function sessionsOf(userId: string) {
	const rows = await t.db
		.selectFrom('sessions')
		.select('id')
		.where('user_id', '=', userId)
		.execute();
	return rows.length;
}

async function mailLinkFor(email: string, options: Parameters<typeof api>[0] = {}) {
	const before = smtp.mails.length;
	expect(await api(options).passwordReset.request({ email })).toEqual({ ok: true });
	await settleResetMail();
	const mails = smtp.mails.slice(before);
	expect(mails).toHaveLength(1);
	expect(mails[0]!.to).toEqual([email.toLowerCase()]);
	return { mail: mails[0]!, token: tokenIn(mails[0]!.text) };
}

describe('password reset by e-mail', () => {
	it.each<Role>(['operator', 'partner', 'company', 'customer'])(
		'%s: follows the mailed link: new password set, every session ended, the old password refused, the link dead',
		async (role) => {
			const user = await accountOf(role);
			const first = await logIn(t.db, {
				email: user.email,
				password: FIXTURE_PASSWORD,
				ip: '1.1.1.1'
			});
			const second = await logIn(t.db, {
				email: user.email,
				password: FIXTURE_PASSWORD,
				ip: '2.2.2.2'
			});
			expect(first.ok && second.ok).toBe(true);
			expect(await sessionsOf(user.id)).toBe(2);

			const { mail, token } = await mailLinkFor(user.email.toUpperCase());
			expect(mail.subject).toBe('Восстановление пароля Kopek');
			expect(mail.text).toContain('действует 1 час');
			expect(token.length).toBeGreaterThanOrEqual(43); // 32 bytes, base64url
			// only the hash is kept
			const stored = await t.db.selectFrom('password_reset_tokens').selectAll().execute();
			expect(stored).toHaveLength(1);
			expect(stored[0]!.id).toMatch(/^[0-9a-f]{64}$/);
			expect(stored[0]!.id).not.toContain(token);

			expect(await api().passwordReset.check({ token })).toEqual({ ok: true, email: user.email });
			// a password the sign-up policy refuses leaves the link open
			expect(
				await api().passwordReset.complete({
					token,
					password: '12345678',
					passwordRepeat: '12345678'
				})
			).toEqual({
				ok: false,
				error: 'password',
				fieldErrors: { password: 'me.error.password.common' }
			});
			expect(
				await api().passwordReset.complete({
					token,
					password: NEW_PASSWORD,
					passwordRepeat: 'другой'
				})
			).toMatchObject({ ok: false, fieldErrors: { passwordRepeat: 'me.error.password.mismatch' } });

			expect(
				await api().passwordReset.complete({
					token,
					password: NEW_PASSWORD,
					passwordRepeat: NEW_PASSWORD
				})
			).toEqual({ ok: true, email: user.email });
			expect(await sessionsOf(user.id)).toBe(0);
			expect(
				await logIn(t.db, { email: user.email, password: FIXTURE_PASSWORD, ip: '1.1.1.1' })
			).toEqual({
				ok: false,
				error: 'invalid_credentials'
			});
			expect(
				await logIn(t.db, { email: user.email, password: NEW_PASSWORD, ip: '1.1.1.1' })
			).toMatchObject({
				ok: true,
				role
			});

			// used once
			expect(
				await api().passwordReset.complete({
					token,
					password: 'ещё один пароль 77',
					passwordRepeat: 'ещё один пароль 77'
				})
			).toEqual({ ok: false, error: 'invalid_link' });
			expect(await api().passwordReset.check({ token })).toEqual({ ok: false });
		}
	);

	it('answers an unknown address exactly as a known one, and sends nothing', async () => {
		const before = smtp.mails.length;
		expect(await api().passwordReset.request({ email: 'nobody@example.test' })).toEqual({
			ok: true
		});
		await settleResetMail();
		expect(smtp.mails.length).toBe(before);
		expect(await t.db.selectFrom('password_reset_tokens').selectAll().execute()).toEqual([]);
	});

	it('answers before the account is looked up or the mail is sent', async () => {
		const user = await accountOf('customer');
		const sent: OutgoingMail[] = [];
		const recording: Mailer = { send: async (mail) => void sent.push(mail) };
		await api({ mailer: recording }).passwordReset.request({ email: user.email });
		expect(sent).toEqual([]);
		expect(await t.db.selectFrom('password_reset_tokens').selectAll().execute()).toEqual([]);
		await settleResetMail();
		expect(sent.map((m) => m.to)).toEqual([user.email]);
	});

	it('refuses a link an hour after it was sent', async () => {
		const user = await accountOf('company');
		const sentAt = new Date('2026-03-02T09:00:00Z');
		const { token } = await mailLinkFor(user.email, { clock: () => sentAt });
		const at = (ms: number) => ({ clock: () => new Date(sentAt.getTime() + ms) });
		expect(await api(at(59 * 60_000)).passwordReset.check({ token })).toMatchObject({ ok: true });
		expect(await api(at(60 * 60_000)).passwordReset.check({ token })).toEqual({ ok: false });
		expect(
			await api(at(60 * 60_000 + 1000)).passwordReset.complete({
				token,
				password: NEW_PASSWORD,
				passwordRepeat: NEW_PASSWORD
			})
		).toEqual({ ok: false, error: 'invalid_link' });
		expect(
			await logIn(t.db, { email: user.email, password: FIXTURE_PASSWORD, ip: '1.1.1.1' })
		).toMatchObject({ ok: true });
	});

	it('a newer link replaces the older one', async () => {
		const user = await accountOf('partner');
		const older = await mailLinkFor(user.email);
		const newer = await mailLinkFor(user.email);
		expect(await api().passwordReset.check({ token: older.token })).toEqual({ ok: false });
		expect(await api().passwordReset.check({ token: newer.token })).toMatchObject({ ok: true });
	});

	it('two uses of one link at once: exactly one sets its password', async () => {
		const user = await accountOf('customer');
		const { token } = await mailLinkFor(user.email);
		const outcomes = await Promise.all(
			['первый пароль у моря', 'второй пароль у моря'].map((password) =>
				api().passwordReset.complete({ token, password, passwordRepeat: password })
			)
		);
		expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
		expect(outcomes.filter((o) => !o.ok)).toEqual([{ ok: false, error: 'invalid_link' }]);
	});

	it('refuses tokens of the wrong shape', async () => {
		for (const token of ['', 'abc', 'x'.repeat(43) + '!', 'a'.repeat(200)]) {
			expect(await api().passwordReset.check({ token })).toEqual({ ok: false });
		}
	});

	it('forgets the account’s failed logins, so the owner signs in at once with the new password', async () => {
		const user = await accountOf('operator');
		const ip = '198.51.100.50';
		for (let i = 0; i < 8; i++) await recordLoginAttempt(t.db, user.email, ip, false);
		expect((await checkLoginThrottle(t.db, user.email, ip)).allowed).toBe(false);
		const { token } = await mailLinkFor(user.email);
		await api().passwordReset.complete({
			token,
			password: NEW_PASSWORD,
			passwordRepeat: NEW_PASSWORD
		});
		expect(await logIn(t.db, { email: user.email, password: NEW_PASSWORD, ip })).toMatchObject({
			ok: true
		});
	});
});

describe('password reset limits', () => {
	it('a malformed address is refused as such (it tells nothing about accounts)', async () => {
		expect(await api().passwordReset.request({ email: 'not-an-address' })).toEqual({
			ok: false,
			error: 'me.error.email.format'
		});
	});

	it(`per e-mail: ${getConfig().KOPEK_RESETS_PER_EMAIL_HOUR} an hour, from any addresses, known account or not`, async () => {
		const max = getConfig().KOPEK_RESETS_PER_EMAIL_HOUR;
		expect(max).toBe(3);
		for (const email of ['someone@example.test', (await accountOf('customer')).email]) {
			for (let i = 0; i < max; i++) {
				expect(await api({ ip: `192.0.2.${i + 1}` }).passwordReset.request({ email })).toEqual({
					ok: true
				});
			}
			const refused = await refusalOf(api({ ip: '192.0.2.99' }).passwordReset.request({ email }));
			expect(refused.code).toBe('TOO_MANY_REQUESTS');
			expect(refused.message).toMatch(
				/^Слишком много запросов на восстановление пароля\. Повторите через \d+ (с|мин)\.$/
			);
		}
		await settleResetMail();
	});

	it(`per address: ${getConfig().KOPEK_RESETS_PER_HOUR} an hour, whatever the e-mails`, async () => {
		const max = getConfig().KOPEK_RESETS_PER_HOUR;
		const from = api({ ip: '198.51.100.77' });
		for (let i = 0; i < max; i++) {
			expect(await from.passwordReset.request({ email: `probe-${i}@example.test` })).toEqual({
				ok: true
			});
		}
		const refused = await refusalOf(from.passwordReset.request({ email: 'probe-x@example.test' }));
		expect(refused.code).toBe('TOO_MANY_REQUESTS');
		expect(
			await api({ ip: '198.51.100.78' }).passwordReset.request({ email: 'probe-x@example.test' })
		).toEqual({ ok: true });
		await settleResetMail();
	});
});
