import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../server/auth/session';
import {
	getBalance,
	listBalanceMismatches,
	spendBalance
} from '../../server/repositories/balances';
import { setProgramRules } from '../../server/repositories/program-rules';
import { cancelHold, confirmHold } from '../../server/services/review-queue';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { useTestDatabase } from './support/db';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';

/** Issue 22: the hold period's edges on the real sync, refund and review paths. */
const t = useTestDatabase({ truncate: true });
const IVANOV = '123455';
const DAY = 86_400_000;
let shop: { id: number; user: SessionUser; deviceId: string };

beforeEach(async () => {
	await insertCustomer(t.db, IVANOV, 'Иванов Иван');
	const id = await insertCompany(t.db, { rateBp: 1000 });
	const user = await insertUser(t.db, 'company', { companyId: id });
	const { deviceId } = await (await callerAs(t.db, user)).devices.register({ name: 'Касса 1' });
	shop = { id, user, deviceId };
});

async function pay(amountKopecks: number, ageMs = 60_000) {
	const id = uuidv7(Date.now() - ageMs);
	const [answer] = await (
		await callerAs(t.db, shop.user)
	).payments.sync({
		deviceId: shop.deviceId,
		operations: [
			{
				id,
				customerId: IVANOV,
				amountKopecks,
				occurredAt: new Date(Date.now() - ageMs).toISOString()
			}
		]
	});
	expect(answer?.outcome).toBe('accepted');
	return id;
}

const refund = async (operationId: string) =>
	(await callerAs(t.db, shop.user)).companies.refund({ operationId, reason: 'Возврат' });

async function card() {
	const user = await insertUser(t.db, 'customer', { customerId: IVANOV });
	return (await (await callerAs(t.db, user)).me.card())!;
}

/** Moves a payment's release moment (as if the clock had moved on). */
async function releaseAt(paymentId: string, at: string) {
	await sql`update pending_cashback set available_at = ${at}::timestamptz
		where payment_id = ${paymentId}::uuid`.execute(t.db);
}

async function ledgerSum() {
	const r = await sql<{
		s: number;
	}>`select coalesce(sum(cashback_kopecks - redeemed_kopecks), 0) as s
		from operations where customer_id = ${IVANOV}`.execute(t.db);
	return Number(r.rows[0]!.s);
}

describe('hold period', () => {
	it('hold 0: cashback is spendable at once, nothing pends', async () => {
		await pay(1000_00);
		expect(await getBalance(t.db, IVANOV)).toBe(100_00);
		expect(await t.db.selectFrom('pending_cashback').selectAll().execute()).toEqual([]);
		expect((await card()).program.pending).toEqual([]);
	});

	it('hold 14: pending until the later of occurredAt and arrival plus 14 days; not spendable', async () => {
		await setProgramRules(t.db, { holdDays: 14, expiryMonths: 0, userId: null });
		const before = Date.now();
		// An offline payment made 10 days ago, arriving now: the clock starts at its arrival.
		const id = await pay(1200_00, 10 * DAY);
		const after = Date.now();
		expect(await getBalance(t.db, IVANOV)).toBe(0);
		const c = await card();
		expect(c.balanceKopecks).toBe(0);
		expect(c.program.pending).toHaveLength(1);
		expect(c.program.pending[0]!.kopecks).toBe(120_00);
		const at = c.program.pending[0]!.availableAt.getTime();
		expect(at).toBeGreaterThanOrEqual(before + 14 * DAY - 1000);
		expect(at).toBeLessThanOrEqual(after + 14 * DAY + 1000);
		// Not redeemable: the conditional spend refuses even one kopeck.
		expect(await t.db.transaction().execute((trx) => spendBalance(trx, IVANOV, 1))).toBeNull();
		// The balance row is still the ledger sum.
		expect(await listBalanceMismatches(t.db)).toEqual([]);
		// The clock passes the release moment: available with no job at all.
		await releaseAt(id, new Date(Date.now() - 1000).toISOString());
		expect(await getBalance(t.db, IVANOV)).toBe(120_00);
		expect((await card()).program.pending).toEqual([]);
		expect(await t.db.transaction().execute((trx) => spendBalance(trx, IVANOV, 120_00))).toBe(0);
	});

	it('a refund on the last pending day cancels the pending cashback; the available balance stays', async () => {
		await setProgramRules(t.db, { holdDays: 14, expiryMonths: 0, userId: null });
		const earlier = await pay(500_00);
		await releaseAt(earlier, new Date(Date.now() - DAY).toISOString());
		const id = await pay(1000_00);
		// The last pending day: it would become available in a minute.
		await releaseAt(id, new Date(Date.now() + 60_000).toISOString());
		expect(await getBalance(t.db, IVANOV)).toBe(50_00);
		expect(await refund(id)).toMatchObject({ ok: true, refund: { cashbackKopecks: -100_00 } });
		expect(await getBalance(t.db, IVANOV)).toBe(50_00);
		expect((await card()).program.pending).toEqual([]);
		const row = await t.db
			.selectFrom('pending_cashback')
			.select(['kopecks', 'cancelled_kopecks'])
			.where('payment_id', '=', id)
			.executeTakeFirstOrThrow();
		expect(row).toEqual({ kopecks: 100_00, cancelled_kopecks: 100_00 });
		expect(await listBalanceMismatches(t.db)).toEqual([]);
		expect(await ledgerSum()).toBe(50_00);
		// After the release the same refund would take it from the available balance instead.
		const later = await pay(200_00);
		await releaseAt(later, new Date(Date.now() - 1000).toISOString());
		expect(await getBalance(t.db, IVANOV)).toBe(70_00);
		expect(await refund(later)).toMatchObject({ ok: true });
		expect(await getBalance(t.db, IVANOV)).toBe(50_00);
	});

	it('a refund of released cashback already spent is refused; pending cashback does not cover it', async () => {
		await setProgramRules(t.db, { holdDays: 14, expiryMonths: 0, userId: null });
		const first = await pay(1000_00);
		await releaseAt(first, new Date(Date.now() - 1000).toISOString());
		expect(await t.db.transaction().execute((trx) => spendBalance(trx, IVANOV, 100_00))).toBe(0);
		await pay(2000_00); // 200,00 ₽ pending
		expect(await refund(first)).toEqual({ ok: false, error: 'cashback_spent' });
		expect(await getBalance(t.db, IVANOV)).toBe(0);
		// (The spend above wrote no ledger row: the balance row is the ledger less it.)
		expect(await listBalanceMismatches(t.db)).toEqual([
			{ customer_id: IVANOV, balance: 200_00, ledger: 300_00 }
		]);
	});

	it('velocity holds use the same pending state: a release within the hold period pends', async () => {
		await setProgramRules(t.db, { holdDays: 14, expiryMonths: 0, userId: null });
		const id = await pay(1000_00);
		// Turn it into a held payment, as the review rules would have stored it.
		await sql`update operations set cashback_kopecks = 0 where id = ${id}::uuid`.execute(t.db);
		await sql`update customer_balances set balance_kopecks = 0`.execute(t.db);
		await sql`delete from pending_cashback`.execute(t.db);
		await sql`insert into operation_holds (operation_id, company_id, customer_id, held_kopecks, reason)
			values (${id}::uuid, ${shop.id}, ${IVANOV}, 10000, 'velocity_customer_hour')`.execute(t.db);
		expect((await card()).program.heldForReviewKopecks).toBe(100_00);
		const operator = await insertUser(t.db, 'operator');
		expect(
			await confirmHold(t.db, { userId: operator.id, companyId: null, operationId: id })
		).toEqual({ ok: true });
		expect(await getBalance(t.db, IVANOV)).toBe(0);
		const c = await card();
		expect(c.program.heldForReviewKopecks).toBe(0);
		expect(c.program.pending.map((p) => p.kopecks)).toEqual([100_00]);
		// A refund within the hold cancels the released cashback while it still pends.
		expect(await refund(id)).toMatchObject({ ok: true, refund: { cashbackKopecks: -100_00 } });
		expect(await getBalance(t.db, IVANOV)).toBe(0);
		expect(await ledgerSum()).toBe(0);
		expect(await listBalanceMismatches(t.db)).toEqual([]);
		expect(
			await cancelHold(t.db, { userId: operator.id, companyId: null, operationId: id })
		).toEqual({ ok: false, error: 'already_decided' });
	});
});
