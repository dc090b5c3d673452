import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index';
import { migrateToLatest } from '../../server/db/migrate';
import { sumDays, summarySlot } from '../../server/repositories/summaries';
import { verifySummaries } from '../../server/repositories/summaries-ledger';
import { syncPayments } from '../../server/services/payment-sync';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { useTestDatabase } from './support/db';
import { insertCompany, insertCustomer } from './support/fixtures';

/**
 * 0009_summary_slots: a day's sums spread over slots, one per terminal (by its device ID), so
 * a company's terminals do not take turns on one row. A database with summaries already in
 * it gets them as slot 0; two terminals' syncs of the same day land in two rows that add up to
 * the day; down adds the slots back into one row per day.
 */
const t = useTestDatabase({ migrate: false });
let companyId: number;
const DEVICES = ['0190d6a0-0000-7000-8000-000000000001', '0190d6a0-0000-7000-8000-000000000002'];
const rows = () =>
	sql<{ slot: number; payment_count: string | number; payment_amount_kopecks: string | number }>`
		select slot, payment_count, payment_amount_kopecks from company_day_summaries
		where company_id = ${companyId} order by slot`.execute(t.db);

function migrator(withSlots: boolean) {
	const list = Object.fromEntries(
		Object.entries(migrations).filter(([name]) => withSlots || name !== '0009_summary_slots')
	);
	return new Migrator({
		db: t.db,
		provider: { getMigrations: async () => list },
		allowUnorderedMigrations: true
	});
}

beforeAll(async () => {
	const result = await migrator(false).migrateToLatest();
	if (result.error) throw result.error;
	companyId = await insertCompany(t.db, { rateBp: 1000 });
	await insertCustomer(t.db, '123455', 'Иванов Иван');
	for (const id of DEVICES) {
		await t.db.insertInto('devices').values({ id, company_id: companyId, name: id }).execute();
	}
});

const today = () =>
	new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(new Date());

async function sync(deviceId: string, amountKopecks: number) {
	const outcomes = await syncPayments(t.db, {
		companyId,
		deviceId,
		createdBy: null,
		operations: [
			{
				id: uuidv7(),
				customerId: '123455',
				amountKopecks,
				occurredAt: new Date(Date.now() - 60_000).toISOString()
			}
		]
	});
	expect(outcomes.map((o) => o.outcome)).toEqual(['accepted']);
}

describe('0009_summary_slots', () => {
	it('keeps the rows already there as slot 0, and each terminal adds to its own slot', async () => {
		await sql`insert into company_day_summaries (company_id, day, statement_month,
				payment_count, payment_amount_kopecks)
			values (${companyId}, ${today()}::date, date_trunc('month', ${today()}::date)::date, 1, 500)
		`.execute(t.db);
		expect(await migrateToLatest(t.db)).toContain('0009_summary_slots');
		expect((await rows()).rows.map((r) => [r.slot, Number(r.payment_count)])).toEqual([[0, 1]]);

		expect(DEVICES.map(summarySlot)).toEqual([1, 2]);
		await sync(DEVICES[0]!, 10_000);
		await sync(DEVICES[0]!, 20_000);
		await sync(DEVICES[1]!, 40_000);
		expect((await rows()).rows.map((r) => [r.slot, Number(r.payment_count)])).toEqual([
			[0, 1],
			[1, 2],
			[2, 1]
		]);
		const day = await sumDays(t.db, { companyId, from: today(), to: today() });
		expect([day.payments, day.paymentAmountKopecks]).toEqual([4, 70_500]);
		// The hand-made slot-0 row has no operation behind it: the only difference, for the day.
		const differences = await verifySummaries(t.db);
		expect(differences.map((d) => [d.column, d.summaries, d.ledger])).toEqual([
			['payment_count', 4, 3],
			['payment_amount_kopecks', 70_500, 70_000]
		]);
	});

	it('down adds the slots of a day back into one row', async () => {
		const result = await migrator(true).migrateDown();
		if (result.error) throw result.error;
		const merged = await sql<{ n: number; payment_count: string; payment_amount_kopecks: string }>`
			select count(*)::int as n, sum(payment_count)::text as payment_count,
				sum(payment_amount_kopecks)::text as payment_amount_kopecks
			from company_day_summaries where company_id = ${companyId}`.execute(t.db);
		expect(merged.rows[0]).toEqual({
			n: 1,
			payment_count: '4',
			payment_amount_kopecks: '70500'
		});
		expect(await migrateToLatest(t.db)).toContain('0009_summary_slots');
	});
});
