import { describe, expect, it } from 'vitest';
import { logIn } from '../../server/auth/login';
import { MAX_FAILURES_PER_ADDRESS_HOUR, recordLoginAttempt } from '../../server/auth/throttle';
import { useTestDatabase } from './support/db';
import { FIXTURE_PASSWORD, insertCompany, insertUser } from './support/fixtures';

/**
 * Issue 7, deliverable 3: the login throttle counts failures per account, per (account,
 * address) and per address, and an address flooding made-up logins cannot lock anyone out.
 */
const t = useTestDatabase({ truncate: true });

const ATTACKER = '198.51.100.7';

async function companyUser() {
	const companyId = await insertCompany(t.db);
	return insertUser(t.db, 'company', { companyId });
}

const outcomeOf = (o: Awaited<ReturnType<typeof logIn>>) => (o.ok ? 'ok' : o.error);

describe('login throttle per address', () => {
	it('300 failed logins from one address, then the right password of an account with no failures: logged in', async () => {
		const user = await companyUser();
		const outcomes = [];
		for (let i = 0; i < MAX_FAILURES_PER_ADDRESS_HOUR; i++) {
			outcomes.push(
				outcomeOf(
					await logIn(t.db, {
						email: `made-up-${i}@example.test`,
						password: 'guess-password',
						ip: ATTACKER
					})
				)
			);
		}
		expect(new Set(outcomes)).toEqual(new Set(['invalid_credentials']));
		const failures = await t.db
			.selectFrom('login_attempts')
			.select((eb) => eb.fn.countAll<string>().as('n'))
			.where('ip', '=', ATTACKER)
			.where('succeeded', '=', false)
			.executeTakeFirstOrThrow();
		expect(Number(failures.n)).toBe(MAX_FAILURES_PER_ADDRESS_HOUR);

		const login = await logIn(t.db, {
			email: user.email,
			password: FIXTURE_PASSWORD,
			ip: ATTACKER
		});
		expect(outcomeOf(login)).toBe('ok');
	}, 120_000);

	it('from a flooded address an account gets one guess in the hour; elsewhere it is unaffected', async () => {
		const user = await companyUser();
		const start = new Date('2026-12-01T10:00:00Z');
		for (let i = 0; i < MAX_FAILURES_PER_ADDRESS_HOUR; i++) {
			await recordLoginAttempt(t.db, `made-up-${i}@example.test`, ATTACKER, false, start);
		}
		const at = (minutes: number) => () => new Date(start.getTime() + minutes * 60_000);
		const guess = await logIn(
			t.db,
			{ email: user.email, password: 'wrong-password', ip: ATTACKER },
			at(1)
		);
		expect(outcomeOf(guess)).toBe('invalid_credentials');
		// the account has a failure now: from the flooded address not even the right password is checked
		const blocked = await logIn(
			t.db,
			{ email: user.email, password: FIXTURE_PASSWORD, ip: ATTACKER },
			at(2)
		);
		expect(blocked).toEqual({ ok: false, error: 'throttled', retryAfterSeconds: 58 * 60 });
		// … but the person at their own address logs in (one failure elsewhere: no delay yet)
		const own = await logIn(
			t.db,
			{ email: user.email, password: FIXTURE_PASSWORD, ip: '203.0.113.20' },
			at(2)
		);
		expect(outcomeOf(own)).toBe('ok');
		// once the flood is an hour old the address is an ordinary one again
		const later = await logIn(
			t.db,
			{ email: user.email, password: FIXTURE_PASSWORD, ip: ATTACKER },
			at(61)
		);
		expect(outcomeOf(later)).toBe('ok');
	});
});

describe('login throttle per account', () => {
	it('failures from elsewhere slow a new address but not one the person logged in from before', async () => {
		const user = await companyUser();
		const now = new Date();
		const home = '203.0.113.30';
		await recordLoginAttempt(t.db, user.email, home, true, new Date(now.getTime() - 86_400_000));
		for (let i = 0; i < 8; i++) {
			await recordLoginAttempt(t.db, user.email, `198.51.100.${i + 10}`, false, now);
		}
		const stranger = await logIn(t.db, {
			email: user.email,
			password: FIXTURE_PASSWORD,
			ip: '192.0.2.55'
		});
		expect(outcomeOf(stranger)).toBe('throttled');
		const atHome = await logIn(t.db, { email: user.email, password: FIXTURE_PASSWORD, ip: home });
		expect(outcomeOf(atHome)).toBe('ok');
	});

	it('typos at one address are that address’s own: after three the next waits, the same account elsewhere does not', async () => {
		const user = await companyUser();
		const now = new Date();
		for (let i = 0; i < 3; i++) await recordLoginAttempt(t.db, user.email, '192.0.2.1', false, now);
		const here = await logIn(t.db, {
			email: user.email,
			password: FIXTURE_PASSWORD,
			ip: '192.0.2.1'
		});
		expect(outcomeOf(here)).toBe('throttled');
		// three failures elsewhere are the account's streak: a new address waits too (1 s) …
		const elsewhere = await logIn(
			t.db,
			{ email: user.email, password: FIXTURE_PASSWORD, ip: '192.0.2.2' },
			() => new Date(now.getTime() + 500)
		);
		expect(outcomeOf(elsewhere)).toBe('throttled');
		// … and no longer once the delay has passed
		const after = await logIn(
			t.db,
			{ email: user.email, password: FIXTURE_PASSWORD, ip: '192.0.2.2' },
			() => new Date(now.getTime() + 1500)
		);
		expect(outcomeOf(after)).toBe('ok');
	});
});
