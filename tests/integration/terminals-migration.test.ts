import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index';
import { migrateToLatest } from '../../server/db/migrate';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { useTestDatabase } from './support/db';
import { insertDevice } from './support/cabinets-fixtures';
import {
	callerAs,
	callerAsTerminal,
	insertCompany,
	insertCustomer,
	insertTerminal,
	insertUser
} from './support/fixtures';

/**
 * 0005_terminals landed after 0008_partitions: a database already running every other
 * migration — operations partitioned by year — gets 0005 out of name order
 * (allowUnorderedMigrations). Its columns, foreign key and indexes must land on the
 * partitioned table and every partition, and the rows already there stay.
 */
const t = useTestDatabase({ migrate: false });
let companyId: number;
let earlier: string;
let applied: string[];

beforeAll(async () => {
	// Migrations after 0009 came later and may build on 0005 (0013 does): they run after it.
	const before = Object.fromEntries(
		Object.entries(migrations).filter(([name]) => name !== '0005_terminals' && name < '0010')
	);
	const result = await new Migrator({
		db: t.db,
		provider: { getMigrations: async () => before },
		allowUnorderedMigrations: true
	}).migrateToLatest();
	if (result.error) throw result.error;

	companyId = await insertCompany(t.db, { rateBp: 1000 });
	await insertCustomer(t.db, '123455', 'Иванов Иван');
	const deviceId = await insertDevice(t.db, companyId);
	// The row as the schema of that time holds it (the fixtures write today's summaries and
	// balances, whose later columns do not exist yet).
	const at = new Date(Date.now() - 60_000);
	earlier = uuidv7(at.getTime());
	await sql`insert into operations (id, company_id, device_id, customer_id, amount_kopecks,
			rate_bp, cashback_kopecks, redeemed_kopecks, occurred_at, content_hash)
		values (${earlier}, ${companyId}, ${deviceId}, '123455', 10000, 1000, 1000, 0, ${at},
			'before-0005')`.execute(t.db);
	applied = await migrateToLatest(t.db);
});

describe('0005_terminals after 0008_partitions', () => {
	it('is the one migration applied, and operations stays partitioned with its rows', async () => {
		expect(applied).toEqual([
			'0005_terminals',
			...Object.keys(migrations).filter((name) => name >= '0010')
		]);
		const kind = await sql<{ kind: string }>`
			select relkind::text as kind from pg_class where oid = 'operations'::regclass`.execute(t.db);
		expect(kind.rows[0]?.kind).toBe('p');
		const row = await t.db
			.selectFrom('operations')
			.select(['id', 'cashier_id', 'shift_id'])
			.where('id', '=', earlier)
			.executeTakeFirstOrThrow();
		expect(row).toEqual({ id: earlier, cashier_id: null, shift_id: null });
	});

	it('puts the columns, the foreign key and the indexes on every partition', async () => {
		const partitions = await sql<{ name: string }>`
			select c.relname::text as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
			where i.inhparent = 'operations'::regclass`.execute(t.db);
		expect(partitions.rows.length).toBeGreaterThan(1);
		for (const { name } of partitions.rows) {
			const columns = await sql<{ name: string }>`
				select attname::text as name from pg_attribute
				where attrelid = ${name}::regclass and attname in ('cashier_id', 'shift_id')
					and not attisdropped order by attname`.execute(t.db);
			expect(
				columns.rows.map((c) => c.name),
				name
			).toEqual(['cashier_id', 'shift_id']);
			const indexes = await sql<{ definition: string }>`
				select pg_get_indexdef(indexrelid) as definition from pg_index
				where indrelid = ${name}::regclass`.execute(t.db);
			const defs = indexes.rows.map((i) => i.definition).join('\n');
			expect(defs, name).toMatch(/\(shift_id\) WHERE \(shift_id IS NOT NULL\)/);
			expect(defs, name).toMatch(/\(device_id, occurred_at DESC\) WHERE \(device_id IS NOT NULL\)/);
		}
		const fk = await sql<{ definition: string }>`
			select pg_get_constraintdef(oid) as definition from pg_constraint
			where conrelid = 'operations'::regclass and contype = 'f'`.execute(t.db);
		expect(fk.rows.map((r) => r.definition)).toContain(
			'FOREIGN KEY (cashier_id) REFERENCES cashiers(id)'
		);
	});

	it('takes a terminal’s attributed payment into the partitioned table', async () => {
		const admin = await insertUser(t.db, 'company', { companyId });
		const anna = await (
			await callerAs(t.db, admin)
		).cashiers.create({ name: 'Анна', pin: '1111', active: true, canRefund: false });
		const terminal = await insertTerminal(t.db, companyId);
		const op = {
			id: uuidv7(),
			customerId: '123455',
			amountKopecks: 50_00,
			occurredAt: new Date(Date.now() - 1000).toISOString(),
			cashierId: anna.id,
			shiftId: uuidv7()
		};
		const outcomes = await callerAsTerminal(t.db, terminal).payments.sync({
			deviceId: terminal.deviceId,
			operations: [op]
		});
		expect(outcomes).toMatchObject([{ outcome: 'accepted' }]);
		const stored = await sql<{ p: string; cashier_id: string }>`
			select tableoid::regclass::text as p, cashier_id from operations
			where id = ${op.id}::uuid`.execute(t.db);
		expect(stored.rows[0]).toEqual({
			p: `operations_y${new Date().getUTCFullYear()}`,
			cashier_id: anna.id
		});
	});
});
