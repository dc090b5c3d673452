import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../server/auth/session';
import { getBalance, listBalanceMismatches } from '../../server/repositories/balances';
import { verifySummaries } from '../../server/repositories/summaries-ledger';
import {
	syncPaymentGroup,
	syncPayments,
	type SyncCall,
	type SyncOutcome
} from '../../server/services/payment-sync';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { useTestDatabase } from './support/db';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';

/* Issue 18 item 3 (velocity): cashback held for review, confirmed or cancelled by a person. */

const t = useTestDatabase({ truncate: true });
const IVANOV = '123455';
const HOUR = 3_600_000;
type Shop = { id: number; user: SessionUser; deviceId: string };
let shop: Shop;
let operator: SessionUser;

async function openShop(): Promise<Shop> {
	const id = await insertCompany(t.db, { rateBp: 1000 });
	const user = await insertUser(t.db, 'company', { companyId: id });
	const { deviceId } = await (await callerAs(t.db, user)).devices.register({ name: 'Касса 1' });
	return { id, user, deviceId };
}

const op = (amountKopecks: number, agoMs: number) => ({
	id: uuidv7(),
	customerId: IVANOV,
	amountKopecks,
	occurredAt: new Date(Date.now() - agoMs).toISOString()
});

async function sync(at: Shop, ops: ReturnType<typeof op>[]): Promise<SyncOutcome[]> {
	return (await callerAs(t.db, at.user)).payments.sync({ deviceId: at.deviceId, operations: ops });
}

const held = (o: SyncOutcome | undefined) =>
	o && 'operation' in o ? (o.operation.held ?? null) : 'not stored';

async function ledgerIsConsistent() {
	expect(await listBalanceMismatches(t.db)).toEqual([]);
	expect(await verifySummaries(t.db)).toEqual([]);
}

/** Six payments of 1 000 ₽ within the hour: the sixth is held (100 ₽ of cashback). */
async function breach() {
	const ops = [50, 40, 30, 20, 10, 5].map((min) => op(1_000_00, min * 60_000));
	const answers = await sync(shop, ops);
	return { ops, answers, suspect: ops[5]! };
}

beforeEach(async () => {
	await insertCustomer(t.db, IVANOV, 'Иванов Иван');
	shop = await openShop();
	operator = await insertUser(t.db, 'operator');
});

describe('velocity holds', () => {
	it('holds the sixth payment of a customer within an hour: stored, accepted, not spendable', async () => {
		const { answers, suspect } = await breach();
		expect(answers.map((a) => a.outcome)).toEqual(Array(6).fill('accepted'));
		expect(answers.slice(0, 5).map(held)).toEqual(Array(5).fill(null));
		expect(held(answers[5])).toEqual({ reason: 'velocity_customer_hour', cashbackKopecks: 100_00 });
		expect(answers[5]).toMatchObject({ operation: { cashbackKopecks: 0 } });
		expect(await getBalance(t.db, IVANOV)).toBe(5 * 100_00);
		await ledgerIsConsistent();
		// A retry gets its original answer, held included.
		const retry = await sync(shop, [suspect]);
		expect(retry[0]).toMatchObject({ outcome: 'duplicate', operation: { cashbackKopecks: 0 } });
		expect(held(retry[0])).toEqual({ reason: 'velocity_customer_hour', cashbackKopecks: 100_00 });
		// Both queues list it with its reason.
		const company = await (await callerAs(t.db, shop.user)).review.companyList();
		const all = await (await callerAs(t.db, operator)).review.operatorList();
		for (const list of [company, all])
			expect(list).toMatchObject([
				{ operationId: suspect.id, reason: 'velocity_customer_hour', heldKopecks: 100_00 }
			]);
	});

	it('confirming credits the held cashback then, once, with who and when', async () => {
		const { suspect } = await breach();
		const api = await callerAs(t.db, operator);
		expect(await api.review.operatorConfirm({ operationId: suspect.id })).toEqual({ ok: true });
		expect(await getBalance(t.db, IVANOV)).toBe(6 * 100_00);
		expect(await api.review.operatorConfirm({ operationId: suspect.id })).toEqual({
			ok: false,
			error: 'already_decided'
		});
		expect(await getBalance(t.db, IVANOV)).toBe(6 * 100_00);
		const [row] = await api.review.operatorList({ open: false });
		expect(row).toMatchObject({ status: 'released', decidedBy: operator.email });
		expect(row!.decidedAt).toBeInstanceOf(Date);
		const releases = await t.db
			.selectFrom('operations')
			.select(['kind', 'amount_kopecks', 'cashback_kopecks', 'created_by'])
			.where('kind', '=', 'release')
			.execute();
		expect(releases).toEqual([
			{ kind: 'release', amount_kopecks: 0, cashback_kopecks: 100_00, created_by: operator.id }
		]);
		expect(await api.review.operatorList()).toEqual([]);
		await ledgerIsConsistent();
		// A refund now takes back the released cashback too.
		const refund = await (
			await callerAs(t.db, shop.user)
		).companies.refund({ operationId: suspect.id, reason: 'Возврат' });
		expect(refund).toMatchObject({ ok: true, refund: { cashbackKopecks: -100_00 } });
		expect(await getBalance(t.db, IVANOV)).toBe(5 * 100_00);
		await ledgerIsConsistent();
	});

	it('cancelling never moves the balance; only the company’s own admin or the operator may', async () => {
		const { suspect } = await breach();
		const other = await openShop();
		const stranger = await callerAs(t.db, other.user);
		expect(await stranger.review.companyCancel({ operationId: suspect.id })).toEqual({
			ok: false,
			error: 'not_found'
		});
		expect(await stranger.review.companyList()).toEqual([]);
		const api = await callerAs(t.db, shop.user);
		expect(await api.review.companyCancel({ operationId: suspect.id })).toEqual({ ok: true });
		expect(await api.review.companyConfirm({ operationId: suspect.id })).toEqual({
			ok: false,
			error: 'already_decided'
		});
		expect(await getBalance(t.db, IVANOV)).toBe(5 * 100_00);
		const [row] = await api.review.companyList({ open: false });
		expect(row).toMatchObject({ status: 'cancelled', decidedBy: shop.user.email });
		const releases = await t.db
			.selectFrom('operations')
			.select('id')
			.where('kind', '=', 'release')
			.execute();
		expect(releases).toEqual([]);
		await ledgerIsConsistent();
	});

	it('a refund of a held payment cancels its hold; nothing was ever credited', async () => {
		const { suspect } = await breach();
		const api = await callerAs(t.db, shop.user);
		expect(
			await api.companies.refund({ operationId: suspect.id, reason: 'Возврат' })
		).toMatchObject({ ok: true, refund: { cashbackKopecks: 0 } });
		expect(await getBalance(t.db, IVANOV)).toBe(5 * 100_00);
		expect(await api.review.companyConfirm({ operationId: suspect.id })).toEqual({
			ok: false,
			error: 'already_decided'
		});
		expect(await getBalance(t.db, IVANOV)).toBe(5 * 100_00);
		await ledgerIsConsistent();
	});

	it('holds one cashier crediting one customer an eleventh time in a day', async () => {
		// Two hours apart: never six within an hour.
		const ops = Array.from({ length: 11 }, (_, i) => op(500_00, (22 - 2 * i) * HOUR + 60_000));
		const answers = await sync(shop, ops);
		expect(answers.slice(0, 10).map(held)).toEqual(Array(10).fill(null));
		expect(held(answers[10])).toEqual({ reason: 'velocity_cashier_day', cashbackKopecks: 50_00 });
		await ledgerIsConsistent();
	});

	it('holds a second bill just under the bill limit within a day', async () => {
		// 95 % of the default 300 000 ₽ is 285 000 ₽.
		const answers = await sync(shop, [
			op(284_999_99, 5 * HOUR),
			op(290_000_00, 3 * HOUR),
			op(299_000_00, HOUR)
		]);
		expect(answers.map(held)).toEqual([
			null,
			null,
			{ reason: 'near_bill_limit', cashbackKopecks: 29_900_00 }
		]);
		await ledgerIsConsistent();
	});

	it('gives a call sent in pieces the same holds as sent at once', async () => {
		const other = await openShop();
		const ops = [50, 40, 30, 20, 10, 5, 4].map((min) => op(1_000_00, min * 60_000));
		// The same customer's payments, first three through another company: not counted here.
		const elsewhere = ops.slice(0, 3).map((o) => ({ ...o, id: uuidv7() }));
		await sync(other, elsewhere);
		for (const o of ops) await sync(shop, [o]);
		const stored = await t.db
			.selectFrom('operation_holds')
			.select('operation_id')
			.orderBy('operation_id')
			.execute();
		expect(stored.map((r) => r.operation_id)).toEqual([ops[5]!.id, ops[6]!.id]);
	});

	it('holds in a group commit exactly what the same calls one at a time hold', async () => {
		// The same calls to two shops: grouped at one, one at a time at the other.
		const other = await openShop();
		const pattern = [
			[50, 40, 30],
			[20, 10],
			[5, 4, 3]
		];
		const callsTo = (at: Shop): SyncCall[] =>
			pattern.map((minutes) => ({
				companyId: at.id,
				deviceId: at.deviceId,
				createdBy: at.user.id,
				operations: minutes.map((m) => op(1_000_00, m * 60_000))
			}));
		const grouped = await syncPaymentGroup(t.db, callsTo(shop));
		const alone: SyncOutcome[][] = [];
		for (const call of callsTo(other)) alone.push(await syncPayments(t.db, call));
		const holds = (answers: SyncOutcome[][]) => answers.map((a) => a.map(held));
		expect(holds(grouped)).toEqual(holds(alone));
		expect(
			holds(grouped)
				.flat()
				.filter((h) => h !== null)
		).toHaveLength(3);
		await ledgerIsConsistent();
	});
});
