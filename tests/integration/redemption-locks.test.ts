/**
 * Issue 18 (SPEC C16): one-time code failures lock a customer only where they happen, and a
 * redemption is no oracle for whether a customer ID exists.
 */
import { TRPCError } from '@trpc/server';
import { beforeEach, describe, expect, it } from 'vitest';
import { getSecretKey } from '../../server/crypto/keys';
import { OTP_PLATFORM_MAX_FAILURES } from '../../server/repositories/otp-codes';
import { redeem } from '../../server/services/redemption';
import { previewRedemption } from '../../server/services/redemption-preview';
import { translate } from '../../src/lib/i18n';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { useTestDatabase } from './support/db';
import { callerAs, insertCustomer, insertUser } from './support/fixtures';
import { codesOf, giveBalance, redeemingShop } from './support/redemption-fixtures';

const t = useTestDatabase({ truncate: true });
const X = '123455';
beforeEach(async () => {
	await insertCustomer(t.db, X, 'Иванов Иван');
	await giveBalance(t.db, X, 500_00);
});

async function namedShop(name: string) {
	const shop = await redeemingShop(t.db);
	await t.db.updateTable('companies').set({ name }).where('id', '=', shop.companyId).execute();
	return shop;
}

const input = (
	shop: { companyId: number; deviceId: string },
	code: string,
	now: Date,
	customerId = X
) => ({
	id: uuidv7(),
	companyId: shop.companyId,
	deviceId: shop.deviceId,
	customerId,
	code,
	billKopecks: 1_000_00,
	redeemKopecks: 1_00,
	occurredAt: now.toISOString(),
	now,
	key: getSecretKey(),
	createdBy: null
});

/** A code that is wrong at `at` (none of the three steps the server accepts). */
async function wrongCode(at: Date) {
	const codeAt = await codesOf(t.db, X);
	const right = new Set([-1, 0, 1].map((o) => codeAt(at.getTime() + o * 30_000)));
	let n = 0;
	while (right.has(String(n).padStart(6, '0'))) n++;
	return String(n).padStart(6, '0');
}

describe('code failures lock a customer only where they happen', () => {
	it('five wrong codes at company B lock X at B only: company A still redeems', async () => {
		const a = await namedShop('Кофейня А');
		const b = await namedShop('Лавка Б');
		const codeAt = await codesOf(t.db, X);
		const now = new Date();
		// The attack: company B, which X never visited, sends five wrong codes for X.
		for (let i = 0; i < 5; i++)
			expect(await previewRedemption(t.db, input(b, await wrongCode(now), now))).toEqual({
				ok: false,
				reason: 'bad_code'
			});
		// At B, X is locked: even X's right code is refused there...
		expect(await previewRedemption(t.db, input(b, codeAt(now), now))).toEqual({
			ok: false,
			reason: 'code_locked'
		});
		// ...but at A, where nothing went wrong, X pays with cashback as usual.
		expect(await redeem(t.db, input(a, codeAt(now), now))).toMatchObject({ outcome: 'accepted' });

		// X's card says where, until when and why; A is not named.
		const customer = await callerAs(t.db, await insertUser(t.db, 'customer', { customerId: X }));
		const card = await customer.me.card();
		expect(card!.redemptionLocks).toEqual([
			expect.objectContaining({
				companyId: b.companyId,
				companyName: 'Лавка Б',
				cause: 'company',
				timeZone: 'Europe/Moscow'
			})
		]);
		const lock = card!.redemptionLocks[0]!;
		expect(lock.lockedUntil.getTime()).toBe(now.getTime() + 15 * 60_000);
		const time = new Intl.DateTimeFormat('ru-RU', {
			timeStyle: 'short',
			timeZone: lock.timeZone
		}).format(lock.lockedUntil);
		expect(translate('ru', 'me.lock.company', { company: lock.companyName, time })).toBe(
			`Оплата кэшбэком в «Лавка Б» заблокирована до ${time}: несколько неверных кодов`
		);
	});

	it(`${OTP_PLATFORM_MAX_FAILURES} failures across companies lock X where they happened, never elsewhere`, async () => {
		const clean = await namedShop('Чистая');
		const codeAt = await codesOf(t.db, X);
		const guessers = [];
		for (let i = 0; i < 5; i++) guessers.push(await namedShop(`Угадайка ${i}`));
		const now = new Date();
		// Four each: every company stays under its own five, together they reach twenty.
		for (const shop of guessers)
			for (let i = 0; i < 4; i++)
				expect(await previewRedemption(t.db, input(shop, await wrongCode(now), now))).toEqual({
					ok: false,
					reason: 'bad_code'
				});
		for (const shop of guessers)
			expect(await previewRedemption(t.db, input(shop, codeAt(now), now))).toEqual({
				ok: false,
				reason: 'code_locked'
			});
		expect(await redeem(t.db, input(clean, codeAt(now), now))).toMatchObject({
			outcome: 'accepted'
		});
		// The operator sees the platform-wide lock.
		const operator = await callerAs(t.db, await insertUser(t.db, 'operator'));
		expect((await operator.operator.customerProbes()).platformLocks).toEqual([
			expect.objectContaining({ customerId: X, companies: 5 })
		]);
	});
});

describe('a redemption is no oracle for customer IDs', () => {
	it('answers an unknown customer exactly like a wrong code, and both spend lookup slots', async () => {
		const shop = await namedShop('Лавка');
		const now = new Date();
		const unknown = await previewRedemption(t.db, input(shop, '000000', now, '246801'));
		const wrong = await previewRedemption(t.db, input(shop, await wrongCode(now), now));
		expect(unknown).toEqual({ ok: false, reason: 'bad_code' });
		expect(wrong).toEqual(unknown);
		expect(await redeem(t.db, input(shop, '000000', now, '246801'))).toEqual({
			outcome: 'rejected',
			reason: 'bad_code'
		});
		const slots = await t.db
			.selectFrom('rate_events')
			.select((eb) => eb.fn.countAll<string>().as('n'))
			.where('subject', '=', String(shop.companyId))
			.executeTakeFirstOrThrow();
		expect(Number(slots.n)).toBe(3);
	});

	it('500 probes through redeemPreview: 60 answered, then TOO_MANY_REQUESTS for known and unknown alike', async () => {
		const shop = await namedShop('Лавка');
		const codeAt = await codesOf(t.db, X);
		const answered: string[] = [];
		let refused = 0;
		for (let i = 0; i < 500; i++) {
			// Probing IDs of the six-digit space, X among them.
			const customerId = i === 70 ? X : `${100_000 + i}`;
			try {
				const preview = await shop.api.payments.redeemPreview({
					deviceId: shop.deviceId,
					customerId,
					code: '000000',
					billKopecks: 1_000_00
				});
				answered.push(preview.ok ? 'ok' : preview.reason);
			} catch (error) {
				if (!(error instanceof TRPCError)) throw error;
				expect(error.code).toBe('TOO_MANY_REQUESTS');
				expect(error.message).toMatch(/^Слишком много проверок клиентов/);
				refused++;
			}
		}
		expect(answered.length).toBeLessThanOrEqual(60);
		expect(new Set(answered)).toEqual(new Set(['bad_code']));
		expect(refused).toBe(500 - answered.length);
		// Throttled, the company still takes a customer's valid code: the honest path is open.
		const now = new Date();
		expect(
			await shop.api.payments.redeemPreview({
				deviceId: shop.deviceId,
				customerId: X,
				code: codeAt(now),
				billKopecks: 1_000_00
			})
		).toMatchObject({ ok: true, customerName: 'Иванов Иван' });
		// The operator sees the probing company.
		const operator = await callerAs(t.db, await insertUser(t.db, 'operator'));
		const probes = (await operator.operator.customerProbes()).companies;
		expect(probes).toEqual([
			expect.objectContaining({ companyId: shop.companyId, throttled: refused })
		]);
	}, 300_000);
});
