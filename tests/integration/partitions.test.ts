import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { migrations } from '../../migrations/index';
import { migrateToLatest } from '../../server/db/migrate';
import { ensureOperationPartitions, yearLowerBound } from '../../server/db/partitions';
import { logger } from '../../server/observability/logger';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { useTestDatabase } from './support/db';
import { insertDevice, insertPayment } from './support/cabinets-fixtures';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';

/**
 * Migration 0008 on a table that already holds operations: the database is brought to every
 * migration but 0008 (whatever others landed), given rows of several years, a refund made
 * the old way, a UUID v4 payment, an extra column and a table pointing at operations, and
 * only then converted.
 */
const t = useTestDatabase({ migrate: false });
const DAY = 86_400_000;
const rows: Record<string, string> = {};
let companyId: number;
let deviceId: string;

async function partitionOf(id: string): Promise<string> {
	const r = await sql<{ p: string }>`select tableoid::regclass::text as p from operations
		where id = ${id}::uuid`.execute(t.db);
	return r.rows[0]!.p;
}

beforeAll(async () => {
	const before = Object.fromEntries(
		Object.entries(migrations).filter(([name]) => name !== '0008_partitions')
	);
	const migrator = new Migrator({
		db: t.db,
		provider: { getMigrations: async () => before },
		allowUnorderedMigrations: true
	});
	const result = await migrator.migrateToLatest();
	if (result.error) throw result.error;

	companyId = await insertCompany(t.db, { rateBp: 1000, rateFrom: new Date('2020-01-01') });
	deviceId = await insertDevice(t.db, companyId);
	await insertCustomer(t.db, '123455', 'Иванов Иван');
	const pay = (occurredAt: Date, id?: string) =>
		insertPayment(t.db, {
			companyId,
			deviceId,
			customerId: '123455',
			amountKopecks: 100_00,
			rateBp: 1000,
			occurredAt,
			id
		});
	rows.now = await pay(new Date(Date.now() - 60_000));
	rows.lastYear = await pay(new Date(Date.now() - 400 * DAY));
	rows.v4 = await pay(new Date(Date.now() - DAY), crypto.randomUUID());
	rows.ancient = await pay(new Date(Date.now() - DAY), uuidv7(Date.UTC(2019, 5, 1)));
	rows.oldRefund = uuidv7();
	await sql`insert into operations (id, kind, company_id, customer_id, amount_kopecks, rate_bp,
			cashback_kopecks, occurred_at, content_hash, reverses_id, reason)
		values (${rows.oldRefund}::uuid, 'refund', ${companyId}, '123455', -10000, 1000, -1000, now(),
			${'refund:' + rows.lastYear}, ${rows.lastYear}::uuid, 'до миграции')`.execute(t.db);
	// Stand-ins for columns and tables other issues add around operations.
	await sql`alter table operations add column extra_note text`.execute(t.db);
	await sql`update operations set extra_note = 'kept' where id = ${rows.now}::uuid`.execute(t.db);
	await sql`create table operation_notes (operation_id uuid not null references operations (id))`.execute(
		t.db
	);
	await sql`insert into operation_notes values (${rows.now}::uuid)`.execute(t.db);

	await migrateToLatest(t.db);
});

describe('0008_partitions on a table with rows', () => {
	it('makes operations a partitioned table with every row kept', async () => {
		const kind = await sql<{ k: string }>`select relkind::text as k from pg_class
			where oid = 'operations'::regclass`.execute(t.db);
		expect(kind.rows[0]!.k).toBe('p');
		const all = await t.db.selectFrom('operations').selectAll().execute();
		expect(all).toHaveLength(5);
		for (const key of ['now', 'lastYear', 'v4', 'ancient'])
			expect(all.some((r) => r.id === rows[key])).toBe(true);
		const kept = await sql<{ extra_note: string | null }>`select extra_note from operations
			where id = ${rows.now}::uuid`.execute(t.db);
		expect(kept.rows[0]!.extra_note).toBe('kept');
	});

	it('puts each v7 operation in its year and the others in the default', async () => {
		const year = (ms: number) => `operations_y${new Date(ms).getUTCFullYear()}`;
		expect(await partitionOf(rows.now!)).toBe(year(Date.now()));
		expect(await partitionOf(rows.lastYear!)).toBe(year(Date.now() - 400 * DAY));
		expect(await partitionOf(rows.v4!)).toBe('operations_default');
		// More than 5 years back: no partition of its own was made for it.
		expect(await partitionOf(rows.ancient!)).toBe('operations_default');
		const partitions = await sql<{ name: string }>`select c.relname as name from pg_inherits i
			join pg_class c on c.oid = i.inhrelid where i.inhparent = 'operations'::regclass
			order by 1`.execute(t.db);
		// From the year of the oldest v7 row (400 days back) to the next year, and the default.
		const first = new Date(Date.now() - 400 * DAY).getUTCFullYear();
		const next = new Date().getUTCFullYear() + 1;
		const years = Array.from({ length: next - first + 1 }, (_, k) => `operations_y${first + k}`);
		expect(partitions.rows.map((r) => r.name)).toEqual(['operations_default', ...years]);
	});

	it('gives the old refund its derived ID, still linked to its payment', async () => {
		const refund = await t.db
			.selectFrom('operations')
			.select(['id', 'reverses_id'])
			.where('kind', '=', 'refund')
			.executeTakeFirstOrThrow();
		const derived = await sql<{
			id: string;
		}>`select operation_refund_id(${rows.lastYear}::uuid) as id`.execute(t.db);
		expect(refund.id).toBe(derived.rows[0]!.id);
		expect(refund.reverses_id).toBe(rows.lastYear);
		// Same 48 time bits as the payment: the same partition.
		expect(refund.id.slice(0, 13)).toBe(rows.lastYear!.slice(0, 13));
		expect(await partitionOf(refund.id)).toBe(await partitionOf(rows.lastYear!));
	});

	it('keeps one refund per payment: another ID is refused, the same ID meets the key', async () => {
		const insertRefund = (id: unknown) =>
			sql`insert into operations (id, kind, company_id, customer_id, amount_kopecks, rate_bp,
				cashback_kopecks, occurred_at, content_hash, reverses_id)
				values (${id}, 'refund', ${companyId}, '123455', -10000, 1000, -1000, now(), 'x',
					${rows.now}::uuid)`.execute(t.db);
		await expect(insertRefund(uuidv7())).rejects.toThrow(/operations_refund_id_check/);
		await insertRefund(sql`operation_refund_id(${rows.now}::uuid)`);
		await expect(insertRefund(sql`operation_refund_id(${rows.now}::uuid)`)).rejects.toThrow(
			/operations_pkey|duplicate key/
		);
	});

	it('keeps the constraints, indexes and foreign keys, its own and those pointing at it', async () => {
		await expect(
			sql`insert into operations (id, kind, company_id, customer_id, amount_kopecks, rate_bp,
				cashback_kopecks, occurred_at, content_hash)
				values (${uuidv7()}::uuid, 'payment', ${companyId}, 'nobody', 100, 1000, 10, now(), 'x')`.execute(
				t.db
			)
		).rejects.toThrow(/foreign key/);
		await expect(
			sql`insert into operation_notes values (${uuidv7()}::uuid)`.execute(t.db)
		).rejects.toThrow(/foreign key/);
		await expect(
			sql`insert into operations (id, company_id, customer_id, amount_kopecks, rate_bp,
				cashback_kopecks, occurred_at, content_hash)
				values (${uuidv7()}::uuid, ${companyId}, '123455', -5, 1000, 10, now(), 'x')`.execute(t.db)
		).rejects.toThrow(/check constraint/);
		const indexes = await sql<{ name: string }>`select indexname as name from pg_indexes
			where tablename = 'operations' order by 1`.execute(t.db);
		expect(indexes.rows.map((r) => r.name)).toEqual(
			expect.arrayContaining([
				'operations_company_list_idx',
				'operations_customer_idx',
				'operations_pkey',
				'operations_reverses_idx'
			])
		);
	});

	it('takes a new column later, as other migrations will add', async () => {
		await sql`alter table operations add column later_column integer not null default 7`.execute(
			t.db
		);
		const r = await sql<{ v: number }>`select later_column as v from operations
			where id = ${rows.v4}::uuid`.execute(t.db);
		expect(r.rows[0]!.v).toBe(7);
		await sql`alter table operations drop column later_column`.execute(t.db);
	});

	it('makes partitions ahead once, moving stray rows of a new year out of the default', async () => {
		const y = new Date().getUTCFullYear() + 3;
		const errors = vi.spyOn(logger, 'error');
		// A stray ID (not made by a counter) whose bits fall in the year after `y`, and its refund.
		const stray = uuidv7(Date.UTC(y + 1, 6, 10));
		await insertPayment(t.db, {
			companyId,
			deviceId,
			customerId: '123455',
			amountKopecks: 100,
			rateBp: 1000,
			occurredAt: new Date(),
			id: stray
		});
		await sql`insert into operations (id, kind, company_id, customer_id, amount_kopecks, rate_bp,
				cashback_kopecks, occurred_at, content_hash, reverses_id, reason)
			values (operation_refund_id(${stray}::uuid), 'refund', ${companyId}, '123455', -100, 1000,
				-10, now(), 'x', ${stray}::uuid, 'возврат')`.execute(t.db);
		// Another, two years on, that a table outside operations points at: it cannot move.
		const pinned = uuidv7(Date.UTC(y + 2, 2, 1));
		await insertPayment(t.db, {
			companyId,
			deviceId,
			customerId: '123455',
			amountKopecks: 200,
			rateBp: 1000,
			occurredAt: new Date(),
			id: pinned
		});
		await sql`insert into operation_notes values (${pinned}::uuid)`.execute(t.db);
		expect(await partitionOf(stray)).toBe('operations_default');

		const at = new Date(Date.UTC(y, 5, 15));
		expect(await ensureOperationPartitions(t.db, at, 2)).toEqual({
			created: [`operations_y${y}`, `operations_y${y + 1}`],
			moved: [{ partition: `operations_y${y + 1}`, rows: 2 }],
			skipped: [`operations_y${y + 2}`]
		});
		expect(errors).toHaveBeenCalledWith(
			{ partition: `operations_y${y + 1}`, rows: 2 },
			expect.stringContaining('holds 2 row(s)')
		);
		expect(await partitionOf(stray)).toBe(`operations_y${y + 1}`);
		const moved = await t.db
			.selectFrom('operations')
			.select(['kind', 'amount_kopecks', 'reverses_id'])
			.where('id', 'in', [stray, sql<string>`operation_refund_id(${stray}::uuid)`])
			.orderBy('kind')
			.execute();
		expect(moved).toEqual([
			{ kind: 'payment', amount_kopecks: 100, reverses_id: null },
			{ kind: 'refund', amount_kopecks: -100, reverses_id: stray }
		]);
		expect(await partitionOf(pinned)).toBe('operations_default');
		expect(await ensureOperationPartitions(t.db, at, 2)).toEqual({
			created: [],
			moved: [],
			skipped: [`operations_y${y + 2}`]
		});
		// Once nothing points at it, it moves too.
		await sql`delete from operation_notes where operation_id = ${pinned}::uuid`.execute(t.db);
		expect(await ensureOperationPartitions(t.db, at, 2)).toEqual({
			created: [`operations_y${y + 2}`],
			moved: [{ partition: `operations_y${y + 2}`, rows: 1 }],
			skipped: []
		});
		expect(await partitionOf(pinned)).toBe(`operations_y${y + 2}`);
		const bound = await sql<{ b: string }>`select pg_get_expr(c.relpartbound, c.oid) as b
			from pg_class c where relname = ${`operations_y${y}`}`.execute(t.db);
		expect(bound.rows[0]!.b).toContain(yearLowerBound(y));
		expect(bound.rows[0]!.b).toContain(yearLowerBound(y + 1));
		// The start-up job (this year and the next) has nothing to do.
		expect((await ensureOperationPartitions(t.db)).created).toEqual([]);
		errors.mockRestore();
	});

	it('refunds through the product once, even when two refunds race', async () => {
		const api = await callerAs(t.db, await insertUser(t.db, 'company', { companyId }));
		const paymentId = await insertPayment(t.db, {
			companyId,
			deviceId,
			customerId: '123455',
			amountKopecks: 500_00,
			rateBp: 1000,
			occurredAt: new Date(Date.now() - 60_000)
		});
		const outcomes = await Promise.all([
			api.companies.refund({ operationId: paymentId, reason: 'первый' }),
			api.companies.refund({ operationId: paymentId, reason: 'второй' })
		]);
		expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
		expect(outcomes.filter((o) => !o.ok)).toEqual([{ ok: false, error: 'already_refunded' }]);
		const refunds = await t.db
			.selectFrom('operations')
			.select('id')
			.where('reverses_id', '=', paymentId)
			.execute();
		expect(refunds).toHaveLength(1);
	});
});
