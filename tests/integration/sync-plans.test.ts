import { CompiledQuery, sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeCashback } from '../../src/lib/domain/money';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { insertPaymentsStatement } from '../../server/repositories/operations';
import { syncBatchStatement } from '../../server/repositories/sync-batch';
import { insertDevice } from './support/cabinets-fixtures';
import { useTestDatabase } from './support/db';
import { insertCompany } from './support/fixtures';

/**
 * The sync's statements read what they need by key, so their cost does not grow with the
 * platform: with thousands of customers and companies (analyzed), no plan of theirs scans a
 * whole table of customers, companies, statement books, devices or rates. (Written as joins
 * on a JSON list, they were planned as sequential scans: 1.0 ms of 2.2 with 5 000 customers,
 * 5 ms of 7.8 with 20 000 companies.)
 */
const t = useTestDatabase();
let companyId: number;
let deviceId: string;
const CUSTOMERS = 5000;
const KEYED = ['customers', 'companies', 'statement_books', 'devices', 'company_rates'];

beforeAll(async () => {
	await sql`insert into partners (id, name, licenses_available) values (77, 'Plans', 0)`.execute(
		t.db
	);
	await sql`insert into companies (name, status, email, inviter_partner_id)
		select 'Компания ' || g, 'active', 'c' || g || '@example.test', 77
		from generate_series(1, 3000) g`.execute(t.db);
	await sql`insert into customers (id, name)
		select (10000000 + g)::text, 'Клиент ' || g from generate_series(1, ${CUSTOMERS}) g`.execute(t.db);
	// Every company with a terminal and a rate history, as on a platform in use.
	await sql`insert into devices (company_id, name)
		select id, 'Касса' from companies cross join generate_series(1, 2)`.execute(t.db);
	await sql`insert into company_rates (company_id, rate_bp, effective_from)
		select id, 500 + m, now() - (m || ' months')::interval
		from companies cross join generate_series(1, 3) m`.execute(t.db);
	companyId = await insertCompany(t.db, { rateBp: 1000 });
	deviceId = await insertDevice(t.db, companyId);
	await sql`analyze`.execute(t.db);
});

interface PlanNode {
	'Node Type': string;
	'Relation Name'?: string;
	Plans?: PlanNode[];
}

/** The tables a statement's plan reads in full. */
async function scannedTables(query: CompiledQuery): Promise<string[]> {
	const result = await t.db.executeQuery<{ 'QUERY PLAN': unknown }>(
		CompiledQuery.raw(`explain (format json) ${query.sql}`, [...query.parameters])
	);
	const raw = result.rows[0]!['QUERY PLAN'];
	const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
	const scanned: string[] = [];
	const walk = (node: PlanNode) => {
		if (node['Node Type'] === 'Seq Scan' && node['Relation Name']) {
			scanned.push(node['Relation Name']);
		}
		node.Plans?.forEach(walk);
	};
	walk(plan[0]!.Plan);
	return scanned;
}

const customerIds = ['10000007', '10000421', '10003999', '10004500', '10000001'];

describe('the sync statements read by key', () => {
	it('the batch opening: company, device, customers, rates', async () => {
		const times = customerIds.map((_, i) => new Date(Date.now() - i * 60_000));
		const query = syncBatchStatement({
			calls: [{ companyId, deviceId, customerIds, times, cashierIds: [uuidv7()] }],
			now: new Date()
		}).compile(t.db);
		const scanned = await scannedTables(query);
		expect(scanned.filter((table) => KEYED.includes(table))).toEqual([]);
	});

	it("a group's opening: several companies' devices, locked in key order", async () => {
		const others = await t.db
			.selectFrom('devices')
			.select(['id', 'company_id'])
			.where('company_id', '<>', companyId)
			.orderBy('id')
			.limit(3)
			.execute();
		const times = customerIds.map((_, i) => new Date(Date.now() - i * 60_000));
		const query = syncBatchStatement({
			calls: [
				{ companyId, deviceId, customerIds, times },
				...others.map((d) => ({ companyId: d.company_id, deviceId: d.id, customerIds, times }))
			],
			now: new Date()
		}).compile(t.db);
		const scanned = await scannedTables(query);
		expect(scanned.filter((table) => KEYED.includes(table))).toEqual([]);
	});

	it('the insert with balances and day summaries', async () => {
		const payments = customerIds.map((customerId) => ({
			id: uuidv7(),
			customerId,
			amountKopecks: 100_00,
			rateBp: 1000,
			cashbackKopecks: computeCashback(100_00, 1000),
			occurredAt: new Date().toISOString(),
			contentHash: 'plan',
			companyId,
			deviceId,
			createdBy: null
		}));
		const query = insertPaymentsStatement(payments).compile(t.db);
		const scanned = await scannedTables(query);
		expect(scanned.filter((table) => KEYED.includes(table))).toEqual([]);
	});
});
