import type { Kysely } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../server/auth/session';
import { listBalanceMismatches } from '../../server/repositories/balances';
import { verifySummaries } from '../../server/repositories/summaries-ledger';
import type { Database } from '../../server/db/types';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { getSecretKey } from '../../server/crypto/keys';
import { redeem } from '../../server/services/redemption';
import { useTestDatabase } from './support/db';
import { codesOf, giveBalance, redeemingShop } from './support/redemption-fixtures';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';

/* Issue 18 item 3: operator-set money limits per company (largest bill, largest cashback). */

const t = useTestDatabase({ truncate: true });
const IVANOV = '123455';
let company: { id: number; user: SessionUser; deviceId: string };
let operator: SessionUser;

async function setUp(db: Kysely<Database>) {
	const id = await insertCompany(db, { rateBp: 1000 });
	const user = await insertUser(db, 'company', { companyId: id });
	const { deviceId } = await (await callerAs(db, user)).devices.register({ name: 'Касса 1' });
	return { id, user, deviceId };
}

const op = (amountKopecks: number) => ({
	id: uuidv7(),
	customerId: IVANOV,
	amountKopecks,
	occurredAt: new Date(Date.now() - 60_000).toISOString()
});

async function sync(ops: ReturnType<typeof op>[]) {
	return (await callerAs(t.db, company.user)).payments.sync({
		deviceId: company.deviceId,
		operations: ops
	});
}

async function balance() {
	const row = await t.db
		.selectFrom('customer_balances')
		.select('balance_kopecks')
		.where('customer_id', '=', IVANOV)
		.executeTakeFirst();
	return Number(row?.balance_kopecks ?? 0);
}

beforeEach(async () => {
	await insertCustomer(t.db, IVANOV, 'Иванов Иван');
	company = await setUp(t.db);
	operator = await insertUser(t.db, 'operator');
});

describe('money limits', () => {
	it('refuses a 10 000 000 ₽ bill under the defaults and credits nothing', async () => {
		const minted = op(1_000_000_000);
		const answer = await sync([minted, op(30_000_000)]);
		expect(answer[0]).toEqual({ id: minted.id, outcome: 'rejected', reason: 'over_bill_limit' });
		// 300 000 ₽ is the largest bill a small shop takes by default: accepted, 30 000 ₽ cashback.
		expect(answer[1]).toMatchObject({ outcome: 'accepted' });
		expect(await balance()).toBe(3_000_000);
		const stored = await t.db
			.selectFrom('operations')
			.select('id')
			.where('id', '=', minted.id)
			.execute();
		expect(stored).toEqual([]);
		expect(await listBalanceMismatches(t.db)).toEqual([]);
		expect(await verifySummaries(t.db)).toEqual([]);
		// A retry gets the same refusal (nothing was stored).
		expect((await sync([minted]))[0]).toEqual(answer[0]);
	});

	it('refuses cashback above the per-operation limit, as the operator sets it', async () => {
		const api = await callerAs(t.db, operator);
		const set = await api.operator.setMoneyLimits({
			companyId: company.id,
			maxBill: '1 000 000',
			maxCashback: '30 000'
		});
		expect(set).toMatchObject({
			ok: true,
			maxBillKopecks: 100_000_000,
			maxCashbackKopecks: 3_000_000
		});
		const big = op(40_000_000); // 400 000 ₽ at 10 %: 40 000 ₽ of cashback
		const answer = await sync([big, op(30_000_000)]);
		expect(answer.map((a) => (a.outcome === 'rejected' ? a.reason : a.outcome))).toEqual([
			'over_cashback_limit',
			'accepted'
		]);
		expect(await balance()).toBe(3_000_000);
	});

	it('keeps the history like rates: newest first, who set it, a future change not yet in force', async () => {
		const api = await callerAs(t.db, operator);
		await api.operator.setMoneyLimits({
			companyId: company.id,
			maxBill: '500 000',
			maxCashback: '50 000'
		});
		const future = new Date(Date.now() + 3 * 86_400_000);
		const local = future.toISOString().slice(0, 16); // read in Europe/Moscow: still ahead
		await api.operator.setMoneyLimits({
			companyId: company.id,
			maxBill: '100',
			maxCashback: '10',
			effectiveFrom: local
		});
		const { history, defaults } = await api.operator.moneyLimits({ companyId: company.id });
		expect(defaults).toEqual({ maxBillKopecks: 30_000_000, maxCashbackKopecks: 3_000_000 });
		expect(history.map((h) => [h.maxBillKopecks, h.maxCashbackKopecks, h.createdBy])).toEqual([
			[10_000, 1_000, operator.email],
			[50_000_000, 5_000_000, operator.email]
		]);
		// In force now: the first change (500 000 ₽), not the future one.
		const answer = await sync([op(45_000_000)]);
		expect(answer[0]).toMatchObject({ outcome: 'accepted' });
		expect(
			await api.operator.setMoneyLimits({ companyId: company.id, maxBill: 'abc', maxCashback: '5' })
		).toMatchObject({ ok: false, fieldErrors: { maxBill: 'format' } });
		expect(
			await api.operator.setMoneyLimits({ companyId: company.id, maxBill: '10', maxCashback: '11' })
		).toMatchObject({ ok: false, fieldErrors: { maxCashback: 'range' } });
	});

	it('holds for pay-with-cashback too; a bill within them still redeems', async () => {
		const shop = await redeemingShop(t.db, { rateBp: 1000, redeemMaxBp: 5000 });
		await giveBalance(t.db, IVANOV, 500_00);
		const codes = await codesOf(t.db, IVANOV);
		const now = new Date();
		const input = (billKopecks: number) => ({
			id: uuidv7(),
			companyId: shop.companyId,
			deviceId: shop.deviceId,
			customerId: IVANOV,
			code: codes(now),
			billKopecks,
			redeemKopecks: 100_00,
			occurredAt: now.toISOString(),
			now,
			key: getSecretKey(),
			createdBy: null
		});
		expect(await redeem(t.db, input(1_000_000_000))).toEqual({
			outcome: 'rejected',
			reason: 'over_bill_limit'
		});
		expect(await redeem(t.db, input(1_000_00))).toMatchObject({ outcome: 'accepted' });
		expect(await listBalanceMismatches(t.db)).toEqual([]);
	});

	it('is the operator’s alone to set', async () => {
		const api = await callerAs(t.db, company.user);
		await expect(
			api.operator.setMoneyLimits({ companyId: company.id, maxBill: '1', maxCashback: '1' })
		).rejects.toThrow();
	});
});
