import { beforeEach, describe, expect, it } from 'vitest';
import { getSecretKey } from '../../server/crypto/keys';
import { getBalance, listBalanceMismatches } from '../../server/repositories/balances';
import { insertRedeemLimit } from '../../server/repositories/redeem-limits';
import { redeem } from '../../server/services/redemption';
import { previewRedemption } from '../../server/services/redemption-preview';
import { decodeOtpSecret, otpCode } from '../../src/lib/domain/otp';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { useTestDatabase } from './support/db';
import { callerAs, insertCustomer, insertUser } from './support/fixtures';
import { codesOf, giveBalance, redeemingShop } from './support/redemption-fixtures';

const t = useTestDatabase({ truncate: true });
beforeEach(async () => {
	await insertCustomer(t.db, '123455', 'Иванов Иван');
	await insertCustomer(t.db, '765438', 'Петрова Мария');
});

const IVANOV = '123455';
const key = () => getSecretKey();

function redeemInput(
	shop: { companyId: number; deviceId: string },
	fields: { code: string; billKopecks?: number; redeemKopecks?: number; now?: Date; id?: string }
) {
	const now = fields.now ?? new Date();
	return {
		id: fields.id ?? uuidv7(),
		companyId: shop.companyId,
		deviceId: shop.deviceId,
		customerId: IVANOV,
		code: fields.code,
		billKopecks: fields.billKopecks ?? 1_000_00,
		redeemKopecks: fields.redeemKopecks ?? 300_00,
		occurredAt: now.toISOString(),
		now,
		key: key(),
		createdBy: null
	};
}

describe('payments.redeem', () => {
	it('pays part of a bill with cashback: balance down, cashback on the paid part', async () => {
		const shop = await redeemingShop(t.db, { rateBp: 1000, redeemMaxBp: 5000 });
		await giveBalance(t.db, IVANOV, 500_00);
		// The customer's card carries the secret; the phone makes the code from it.
		const customer = await callerAs(
			t.db,
			await insertUser(t.db, 'customer', { customerId: IVANOV })
		);
		const card = await customer.me.card();
		const secret = decodeOtpSecret(card!.otpSecret);
		const code = otpCode(secret, Date.now());

		const preview = await shop.api.payments.redeemPreview({
			deviceId: shop.deviceId,
			customerId: IVANOV,
			code,
			billKopecks: 1_000_00
		});
		expect(preview).toMatchObject({
			ok: true,
			customerName: 'Иванов Иван',
			balanceKopecks: 500_00,
			maxRedeemKopecks: 500_00
		});
		const id = uuidv7();
		const input = {
			id,
			deviceId: shop.deviceId,
			customerId: IVANOV,
			code,
			billKopecks: 1_000_00,
			redeemKopecks: 300_00,
			occurredAt: new Date().toISOString()
		};
		const outcome = await shop.api.payments.redeem(input);
		expect(outcome).toEqual({
			outcome: 'accepted',
			operation: {
				billKopecks: 1_000_00,
				redeemedKopecks: 300_00,
				paidKopecks: 700_00,
				rateBp: 1000,
				cashbackKopecks: 70_00,
				balanceKopecks: 500_00 - 300_00 + 70_00
			}
		});
		expect((await customer.me.card())!.balanceKopecks).toBe(270_00);
		// A retry answers the stored result though its code is used now.
		const retry = await shop.api.payments.redeem(input);
		expect(retry).toEqual({ ...outcome, outcome: 'duplicate' });
		// Other content under the same ID is a conflict; nothing changes.
		expect(await shop.api.payments.redeem({ ...input, redeemKopecks: 100_00 })).toEqual({
			outcome: 'conflict'
		});
		// The code was accepted once: a new operation with it is refused.
		expect(await shop.api.payments.redeem({ ...input, id: uuidv7() })).toEqual({
			outcome: 'rejected',
			reason: 'code_used'
		});
		expect(await getBalance(t.db, IVANOV)).toBe(270_00);
		const row = await t.db
			.selectFrom('operations')
			.selectAll()
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
		expect(row).toMatchObject({
			kind: 'payment',
			amount_kopecks: 1_000_00,
			redeemed_kopecks: 300_00,
			cashback_kopecks: 70_00
		});
		expect(await listBalanceMismatches(t.db)).toEqual([]);
	});

	it('a company cannot preview or redeem without a valid code, and sees no balance', async () => {
		const shop = await redeemingShop(t.db);
		await giveBalance(t.db, IVANOV, 500_00);
		const code = (await codesOf(t.db, IVANOV))();
		const wrong = code === '000000' ? '000001' : '000000';
		for (const bad of [wrong, '', '12345', 'abcdef']) {
			const preview = await shop.api.payments.redeemPreview({
				deviceId: shop.deviceId,
				customerId: IVANOV,
				code: bad,
				billKopecks: 1_000_00
			});
			expect(preview).toEqual({ ok: false, reason: 'bad_code' });
			expect(JSON.stringify(preview)).not.toContain('50000');
		}
		// The fifth wrong code is refused too, and locks the customer: then even the right one is.
		expect(await redeem(t.db, redeemInput(shop, { code: wrong }))).toEqual({
			outcome: 'rejected',
			reason: 'bad_code'
		});
		expect(await redeem(t.db, redeemInput(shop, { code }))).toEqual({
			outcome: 'rejected',
			reason: 'code_locked'
		});
		expect(await getBalance(t.db, IVANOV)).toBe(500_00);
	});

	it('the preview does not consume the code', async () => {
		const shop = await redeemingShop(t.db);
		await giveBalance(t.db, IVANOV, 500_00);
		const code = (await codesOf(t.db, IVANOV))();
		const now = new Date();
		for (let i = 0; i < 2; i++)
			expect(await previewRedemption(t.db, { ...redeemInput(shop, { code, now }) })).toMatchObject({
				ok: true
			});
		expect(await redeem(t.db, redeemInput(shop, { code, now }))).toMatchObject({
			outcome: 'accepted'
		});
	});

	it('accepts a code of the step before or after, not two away (±1 step of 30 s)', async () => {
		const shop = await redeemingShop(t.db);
		await giveBalance(t.db, IVANOV, 500_00);
		const codeAt = await codesOf(t.db, IVANOV);
		const now = new Date(Math.floor(Date.now() / 30_000) * 30_000 + 10_000);
		for (const offset of [-1, 0, 1]) {
			const code = codeAt(now.getTime() + offset * 30_000);
			const outcome = await redeem(t.db, redeemInput(shop, { code, now, redeemKopecks: 1_00 }));
			expect(outcome, `offset ${offset}`).toMatchObject({ outcome: 'accepted' });
		}
		const far = codeAt(now.getTime() + 2 * 30_000);
		const near = new Set([-1, 0, 1].map((o) => codeAt(now.getTime() + o * 30_000)));
		if (!near.has(far))
			expect(
				await redeem(t.db, redeemInput(shop, { code: far, now, redeemKopecks: 1_00 }))
			).toEqual({
				outcome: 'rejected',
				reason: 'bad_code'
			});
	});

	it('five wrong codes in 15 minutes lock redemption for 15 minutes', async () => {
		const shop = await redeemingShop(t.db);
		await giveBalance(t.db, IVANOV, 500_00);
		const codeAt = await codesOf(t.db, IVANOV);
		const start = Date.now();
		const wrongAt = (ms: number) => {
			const right = new Set([-1, 0, 1].map((o) => codeAt(ms + o * 30_000)));
			let n = 0;
			while (right.has(String(n).padStart(6, '0'))) n++;
			return String(n).padStart(6, '0');
		};
		for (let i = 0; i < 4; i++) {
			const at = new Date(start + i * 60_000);
			expect(
				await redeem(t.db, redeemInput(shop, { code: wrongAt(at.getTime()), now: at }))
			).toEqual({
				outcome: 'rejected',
				reason: 'bad_code'
			});
		}
		// Still open after four: the right code works.
		const fourth = new Date(start + 4 * 60_000);
		expect(
			await redeem(
				t.db,
				redeemInput(shop, { code: codeAt(fourth), now: fourth, redeemKopecks: 1_00 })
			)
		).toMatchObject({ outcome: 'accepted' });
		const fifth = new Date(start + 5 * 60_000);
		expect(
			await redeem(t.db, redeemInput(shop, { code: wrongAt(fifth.getTime()), now: fifth }))
		).toEqual({
			outcome: 'rejected',
			reason: 'bad_code'
		});
		// Locked: even the right code (at another counter) is refused, the preview too.
		for (const minutes of [1, 14]) {
			const at = new Date(fifth.getTime() + minutes * 60_000);
			expect(await redeem(t.db, redeemInput(shop, { code: codeAt(at), now: at }))).toEqual({
				outcome: 'rejected',
				reason: 'code_locked'
			});
		}
		const after = new Date(fifth.getTime() + 15 * 60_000 + 1_000);
		expect(
			await redeem(
				t.db,
				redeemInput(shop, { code: codeAt(after), now: after, redeemKopecks: 1_00 })
			)
		).toMatchObject({ outcome: 'accepted' });
	});

	it('wrong codes spread over more than 15 minutes do not lock', async () => {
		const shop = await redeemingShop(t.db);
		await giveBalance(t.db, IVANOV, 500_00);
		const codeAt = await codesOf(t.db, IVANOV);
		const start = Date.now();
		for (let i = 0; i < 6; i++) {
			const at = new Date(start + i * 4 * 60_000);
			const right = new Set([-1, 0, 1].map((o) => codeAt(at.getTime() + o * 30_000)));
			const wrong = right.has('999999') ? '999998' : '999999';
			await redeem(t.db, redeemInput(shop, { code: wrong, now: at }));
		}
		// Six in 20 minutes, but never five within 15.
		const at = new Date(start + 24 * 60_000);
		expect(
			await redeem(t.db, redeemInput(shop, { code: codeAt(at), now: at, redeemKopecks: 1_00 }))
		).toMatchObject({ outcome: 'accepted' });
	});

	it('answers every refusal with its reason and stores nothing', async () => {
		const shop = await redeemingShop(t.db, { redeemMaxBp: 3000 });
		await giveBalance(t.db, IVANOV, 100_00);
		const codeAt = await codesOf(t.db, IVANOV);
		const code = codeAt();
		const cases: [Parameters<typeof redeem>[1], string][] = [
			[redeemInput(shop, { code, billKopecks: 0 }), 'amount_out_of_range'],
			[redeemInput(shop, { code, redeemKopecks: 0 }), 'amount_out_of_range'],
			[
				redeemInput(shop, { code, billKopecks: 100_00, redeemKopecks: 100_01 }),
				'amount_out_of_range'
			],
			[redeemInput(shop, { code, billKopecks: 100_00, redeemKopecks: 30_01 }), 'over_limit'],
			[
				redeemInput(shop, { code, billKopecks: 1_000_00, redeemKopecks: 100_01 }),
				'insufficient_balance'
			],
			// An unknown customer is answered as a wrong code (SPEC C16: no existence oracle).
			[{ ...redeemInput(shop, { code }), customerId: '246801' }, 'bad_code'],
			[{ ...redeemInput(shop, { code }), deviceId: uuidv7() }, 'device_not_registered']
		];
		for (const [input, reason] of cases)
			expect(await redeem(t.db, input), reason).toEqual({ outcome: 'rejected', reason });
		const closed = await redeemingShop(t.db, { redeemMaxBp: 0 });
		expect(await redeem(t.db, redeemInput(closed, { code }))).toEqual({
			outcome: 'rejected',
			reason: 'redemption_disabled'
		});
		const pending = await redeemingShop(t.db, { status: 'pending' });
		expect(await redeem(t.db, redeemInput(pending, { code }))).toEqual({
			outcome: 'rejected',
			reason: 'company_inactive'
		});
		// The limit history: from a moment on, the shop takes none.
		await insertRedeemLimit(t.db, {
			companyId: shop.companyId,
			redeemMaxBp: 0,
			effectiveFrom: new Date(Date.now() - 1000),
			createdBy: null
		});
		expect(await redeem(t.db, redeemInput(shop, { code, redeemKopecks: 1_00 }))).toEqual({
			outcome: 'rejected',
			reason: 'redemption_disabled'
		});
		// None of it spent the balance or the code.
		expect(await getBalance(t.db, IVANOV)).toBe(100_00);
		const open = await redeemingShop(t.db);
		expect(await redeem(t.db, redeemInput(open, { code, redeemKopecks: 1_00 }))).toMatchObject({
			outcome: 'accepted'
		});
	});

	it('a refund of a redemption returns the redeemed part and takes the accrual back, linked', async () => {
		const shop = await redeemingShop(t.db, { rateBp: 1000, redeemMaxBp: 5000 });
		await giveBalance(t.db, IVANOV, 500_00);
		const code = (await codesOf(t.db, IVANOV))();
		const id = uuidv7();
		await redeem(t.db, redeemInput(shop, { code, id }));
		expect(await getBalance(t.db, IVANOV)).toBe(270_00);
		const refund = await shop.api.companies.refund({ operationId: id, reason: 'Возврат товара' });
		expect(refund.ok).toBe(true);
		expect(await getBalance(t.db, IVANOV)).toBe(500_00);
		const row = await t.db
			.selectFrom('operations')
			.selectAll()
			.where('reverses_id', '=', id)
			.executeTakeFirstOrThrow();
		expect(row).toMatchObject({
			kind: 'refund',
			amount_kopecks: -1_000_00,
			redeemed_kopecks: -300_00,
			cashback_kopecks: -70_00
		});
		expect(await listBalanceMismatches(t.db)).toEqual([]);
		const list = await shop.api.companies.listOperations({ period: { kind: 'day' } });
		expect(list.totals).toMatchObject({ redeemedKopecks: 0, cashbackKopecks: 0 });
	});
});

describe('payments.redeem racing', () => {
	it('20 concurrent redeems with one code from several devices: one accepted, the rest code_used', async () => {
		const shops = [
			await redeemingShop(t.db),
			await redeemingShop(t.db),
			await redeemingShop(t.db),
			await redeemingShop(t.db)
		];
		await giveBalance(t.db, IVANOV, 10_000_00);
		const now = new Date();
		const code = (await codesOf(t.db, IVANOV))(now);
		const outcomes = await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				redeem(t.db, redeemInput(shops[i % shops.length]!, { code, now, redeemKopecks: 10_00 }))
			)
		);
		const counts = outcomes.reduce<Record<string, number>>((acc, o) => {
			const key = o.outcome === 'rejected' ? o.reason : o.outcome;
			acc[key] = (acc[key] ?? 0) + 1;
			return acc;
		}, {});
		expect(counts).toEqual({ accepted: 1, code_used: 19 });
		expect(await listBalanceMismatches(t.db)).toEqual([]);
	});

	it('concurrent redeems with fresh codes for more than the balance: never an overdraft', async () => {
		const shops = [
			await redeemingShop(t.db, { redeemMaxBp: 10_000 }),
			await redeemingShop(t.db, { redeemMaxBp: 10_000 })
		];
		await giveBalance(t.db, IVANOV, 100_00);
		const codeAt = await codesOf(t.db, IVANOV);
		const base = Date.now();
		// Each attempt at its own moment (a step apart), so each has a fresh valid code.
		const outcomes = await Promise.all(
			Array.from({ length: 12 }, (_, i) => {
				const now = new Date(base + i * 30_000);
				return redeem(
					t.db,
					redeemInput(shops[i % 2]!, {
						code: codeAt(now),
						now,
						billKopecks: 30_00,
						redeemKopecks: 30_00
					})
				);
			})
		);
		const accepted = outcomes.filter((o) => o.outcome === 'accepted');
		const rest = outcomes.filter((o) => o.outcome !== 'accepted');
		expect(accepted.length * 30_00).toBeLessThanOrEqual(100_00);
		expect(accepted).toHaveLength(3);
		expect(rest.every((o) => o.outcome === 'rejected' && o.reason === 'insufficient_balance')).toBe(
			true
		);
		expect(await getBalance(t.db, IVANOV)).toBe(10_00);
		expect(await listBalanceMismatches(t.db)).toEqual([]);
	});
});
