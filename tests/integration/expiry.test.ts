import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { getBalance, listBalanceMismatches } from '../../server/repositories/balances';
import { expireChunk, listExpiring } from '../../server/repositories/expiry';
import { setProgramRules } from '../../server/repositories/program-rules';
import { runExpiry } from '../../server/services/expiry';
import { verifySummaries } from '../../server/repositories/summaries-ledger';
import { useTestDatabase } from './support/db';
import { insertDevice, insertPayment } from './support/cabinets-fixtures';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';

/** Issue 22: expiry of an idle customer's available balance, as a ledger row. */
const t = useTestDatabase({ truncate: true });
const DAY = 86_400_000;
let companyId: number;
let deviceId: string;

beforeEach(async () => {
	companyId = await insertCompany(t.db, { rateBp: 1000 });
	deviceId = await insertDevice(t.db, companyId);
});

async function customerWith(id: string, amountKopecks: number) {
	await insertCustomer(t.db, id, `Клиент ${id}`);
	await insertPayment(t.db, {
		companyId,
		deviceId,
		customerId: id,
		amountKopecks,
		rateBp: 1000,
		occurredAt: new Date(Date.now() - 60_000)
	});
}

/** Sets the customer's last operation `months` ago (and `extra` more). */
async function idle(customerId: string | null, months: number, extra = '0 seconds') {
	await sql`update customer_balances
		set last_activity_at = now() - make_interval(months => ${months}) - ${extra}::interval
		${customerId ? sql`where customer_id = ${customerId}` : sql``}`.execute(t.db);
}

async function expiryRows() {
	return t.db
		.selectFrom('operations')
		.select(['customer_id', 'cashback_kopecks', 'company_id', 'amount_kopecks'])
		.where('kind', '=', 'expiry')
		.orderBy('customer_id')
		.execute();
}

describe('expiry', () => {
	it('0 = never: nothing expires however long the customer is idle', async () => {
		await customerWith('100001', 1000_00);
		await idle(null, 30);
		expect(await runExpiry(t.db)).toEqual({ customers: 0, kopecks: 0 });
		expect(await getBalance(t.db, '100001')).toBe(100_00);
	});

	it('expires exactly at the boundary, not a second before; as a ledger row; once', async () => {
		await setProgramRules(t.db, { holdDays: 0, expiryMonths: 3, userId: null });
		await customerWith('100001', 1000_00);
		await customerWith('100002', 500_00);
		// One second short of three months: not yet.
		await idle('100002', 3, '-1 second');
		// Exactly three months, at the job's own now(): due.
		const done = await t.db.transaction().execute(async (trx) => {
			await sql`update customer_balances set last_activity_at = now() - make_interval(months => 3)
				where customer_id = '100001'`.execute(trx);
			return expireChunk(trx, 100);
		});
		expect(done).toMatchObject({ customers: 1, kopecks: 100_00 });
		expect(await expiryRows()).toEqual([
			{ customer_id: '100001', cashback_kopecks: -100_00, company_id: companyId, amount_kopecks: 0 }
		]);
		expect(await getBalance(t.db, '100001')).toBe(0);
		expect(await getBalance(t.db, '100002')).toBe(50_00);
		expect(await listBalanceMismatches(t.db)).toEqual([]);
		// The day summaries count it as expired, apart, and still equal the ledger.
		expect(await verifySummaries(t.db)).toEqual([]);
		const sums = await t.db
			.selectFrom('company_day_summaries')
			.select((eb) => eb.fn.sum<number>('expired_kopecks').as('e'))
			.executeTakeFirstOrThrow();
		expect(Number(sums.e)).toBe(-100_00);
		// Idempotent: a second run finds nothing.
		expect(await runExpiry(t.db)).toEqual({ customers: 0, kopecks: 0 });
		expect(await expiryRows()).toHaveLength(1);
		// The customer's card history shows it.
		const user = await insertUser(t.db, 'customer', { customerId: '100001' });
		const card = await (await callerAs(t.db, user)).me.card();
		expect(card?.operations.map((o) => o.kind)).toContain('expiry');
	});

	it('pending cashback does not expire; only the available balance does', async () => {
		await setProgramRules(t.db, { holdDays: 0, expiryMonths: 3, userId: null });
		await customerWith('100001', 1000_00);
		const [payment] = await t.db.selectFrom('operations').select('id').execute();
		await sql`insert into pending_cashback (operation_id, payment_id, customer_id, company_id,
			kopecks, available_at) values (${payment!.id}::uuid, ${payment!.id}::uuid, '100001',
			${companyId}, 3000, now() + interval '1 day')`.execute(t.db);
		await idle('100001', 4);
		expect(await runExpiry(t.db)).toEqual({ customers: 1, kopecks: 70_00 });
		expect(await getBalance(t.db, '100001')).toBe(0);
		const row = await t.db
			.selectFrom('customer_balances')
			.select('balance_kopecks')
			.executeTakeFirstOrThrow();
		expect(Number(row.balance_kopecks)).toBe(30_00);
	});

	it('two instances at once: one entry per customer', async () => {
		await setProgramRules(t.db, { holdDays: 0, expiryMonths: 6, userId: null });
		const ids = Array.from({ length: 60 }, (_, i) => String(200_000 + i));
		for (const id of ids) await customerWith(id, 100_00 + Number(id.slice(-2)));
		await idle(null, 7);
		const [a, b] = await Promise.all([
			runExpiry(t.db, { chunk: 7 }),
			runExpiry(t.db, { chunk: 5 })
		]);
		expect(a.customers + b.customers).toBe(60);
		const rows = await expiryRows();
		expect(rows.map((r) => r.customer_id)).toEqual(ids);
		for (const id of ids) expect(await getBalance(t.db, id)).toBe(0);
		expect(await listBalanceMismatches(t.db)).toEqual([]);
	});

	it('the card warns 30 days before; the report lists what expires in a window', async () => {
		await setProgramRules(t.db, { holdDays: 0, expiryMonths: 3, userId: null });
		await customerWith('100001', 12_500_00);
		await customerWith('100002', 1000_00);
		// 100001 expires in 10 days; 100002 in about 50.
		await sql`update customer_balances set last_activity_at =
			now() - make_interval(months => 3) + interval '10 days' where customer_id = '100001'`.execute(t.db);
		await sql`update customer_balances set last_activity_at =
			now() - make_interval(months => 3) + interval '50 days' where customer_id = '100002'`.execute(t.db);
		const card = async (id: string) =>
			(await (
				await callerAs(t.db, await insertUser(t.db, 'customer', { customerId: id }))
			).me.card())!;
		const soon = (await card('100001')).program.expiring;
		expect(soon?.kopecks).toBe(1250_00);
		expect(Math.abs(soon!.expiresAt.getTime() - (Date.now() + 10 * DAY))).toBeLessThan(60_000);
		expect((await card('100002')).program.expiring).toBeNull();
		const report = await listExpiring(t.db, {
			from: new Date(Date.now() + 40 * DAY),
			to: new Date(Date.now() + 60 * DAY),
			limit: 100
		});
		expect(report.map((r) => [r.customerId, r.kopecks])).toEqual([['100002', 100_00]]);
	});
});
