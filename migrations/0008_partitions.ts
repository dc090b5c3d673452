import { type Kysely, sql } from 'kysely';

/**
 * `operations` becomes a table range-partitioned on `id` by year (UUID v7 IDs begin with
 * their millisecond time; see server/db/partitions.ts for why years), plus a default partition
 * for IDs of no year made. The conversion copies whatever the table is when it runs — columns, defaults,
 * CHECK constraints, NOT NULLs (`LIKE … INCLUDING …`), then re-creates its other indexes, its
 * foreign keys and the foreign keys of other tables that point at it, by their definitions
 * read from the catalogue — so columns other migrations add before or after this one are kept,
 * and a later `ALTER TABLE operations ADD COLUMN` works on the partitioned table as usual.
 *
 * A unique constraint on a partitioned table must include the partition key, so
 * `reverses_id UNIQUE` ("one refund per payment") is replaced by a rule the primary key can
 * enforce: a refund's ID is a function of the payment it reverses,
 * `operation_refund_id(reverses_id)` (the payment's 48 time bits, so the same partition, then
 * bits from an MD5 of it), and a CHECK holds every refund to it. Two refunds of one payment
 * would need the same ID, so the second — however the two race — meets the primary key.
 * Existing refunds (server-made IDs that nothing else points at) get their derived ID.
 *
 * Partitions are made for every year from the earliest operation (at most 5 years back; older
 * ones stay in the default) to the next year; the start-up job keeps making them ahead.
 * Unique constraints on `operations` other than the primary key and `reverses_id` would not
 * survive partitioning; the migration refuses to run rather than silently drop one.
 * Never edit once landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
	const kind = await sql<{ kind: string }>`
		select relkind::text as kind from pg_class where oid = to_regclass('operations')`.execute(db);
	if (kind.rows[0]?.kind === 'p') return;

	await sql`CREATE FUNCTION operation_refund_id(payment_id uuid) RETURNS uuid
		LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
			SELECT (left(replace(payment_id::text, '-', ''), 12) || '7' || substr(h, 1, 3)
				|| substr('89ab', (get_byte(decode(substr(h, 4, 2), 'hex'), 0) % 4) + 1, 1)
				|| substr(h, 6, 15))::uuid
			FROM (SELECT md5('kopek refund of ' || payment_id::text) AS h) AS digest
		$$`.execute(db);

	// What must be re-created, read before anything moves.
	const constraints = await sql<{
		name: string;
		type: string;
		definition: string;
		owner: string;
		columns: string[];
	}>`
		select c.conname as name, c.contype::text as type, pg_get_constraintdef(c.oid) as definition,
			c.conrelid::regclass::text as owner,
			array(select a.attname::text from unnest(c.conkey) k
				join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k) as columns
		from pg_constraint c
		where c.conrelid = to_regclass('operations') or c.confrelid = to_regclass('operations')
		order by c.conname`.execute(db);
	const ownForeignKeys = constraints.rows.filter((c) => c.type === 'f' && c.owner === 'operations');
	const incomingForeignKeys = constraints.rows.filter(
		(c) => c.type === 'f' && c.owner !== 'operations'
	);
	for (const c of constraints.rows) {
		const isReverses = c.columns.length === 1 && c.columns[0] === 'reverses_id';
		if (c.owner === 'operations' && c.type === 'u' && !isReverses && !c.columns.includes('id'))
			throw new Error(
				`0008_partitions: unique constraint ${c.name} on operations does not include id and cannot be kept on a partitioned table`
			);
	}
	const indexes = await sql<{ name: string; definition: string; unique: boolean }>`
		select i.relname as name, pg_get_indexdef(i.oid) as definition, x.indisunique as unique
		from pg_index x join pg_class i on i.oid = x.indexrelid
		where x.indrelid = to_regclass('operations')
			and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)
		order by i.relname`.execute(db);
	for (const index of indexes.rows) {
		if (index.unique && !/\(.*\bid\b.*\)/.test(index.definition))
			throw new Error(
				`0008_partitions: unique index ${index.name} on operations does not include id and cannot be kept on a partitioned table`
			);
	}
	const columns = await sql<{ name: string }>`
		select attname::text as name from pg_attribute
		where attrelid = to_regclass('operations') and attnum > 0 and not attisdropped
		order by attnum`.execute(db);

	for (const fk of incomingForeignKeys)
		await sql`ALTER TABLE ${sql.raw(fk.owner)} DROP CONSTRAINT ${sql.id(fk.name)}`.execute(db);
	await sql`ALTER TABLE operations RENAME TO operations_unpartitioned`.execute(db);
	const oldIndexes = await sql<{ name: string }>`
		select i.relname as name from pg_index x join pg_class i on i.oid = x.indexrelid
		where x.indrelid = to_regclass('operations_unpartitioned')`.execute(db);
	for (const index of oldIndexes.rows)
		await sql`ALTER INDEX ${sql.id(index.name)} RENAME TO ${sql.id(`${index.name}_unpartitioned`)}`.execute(
			db
		);

	await sql`CREATE TABLE operations (LIKE operations_unpartitioned
		INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING IDENTITY
		INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE (id)`.execute(db);
	await sql`ALTER TABLE operations ADD CONSTRAINT operations_pkey PRIMARY KEY (id)`.execute(db);
	await sql`CREATE TABLE operations_default PARTITION OF operations DEFAULT`.execute(db);

	// Years from the earliest stored v7 ID of the last 5 years to the next year.
	const bound = (year: number) => {
		const hex = Date.UTC(year, 0, 1).toString(16).padStart(12, '0');
		return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
	};
	const thisYear = new Date().getUTCFullYear();
	const earliest = await sql<{ ms: number | null }>`
		select min(('x' || left(replace(id::text, '-', ''), 12))::bit(48)::bigint)::float8 as ms
		from operations_unpartitioned
		where substr(id::text, 15, 1) = '7' and id >= ${bound(thisYear - 5)}::uuid`.execute(db);
	const ms = earliest.rows[0]?.ms;
	const firstYear =
		ms == null ? thisYear : Math.min(new Date(Number(ms)).getUTCFullYear(), thisYear);
	for (let year = firstYear; year <= thisYear + 1; year++) {
		await sql`CREATE TABLE ${sql.id(`operations_y${year}`)} PARTITION OF operations
			FOR VALUES FROM (${sql.lit(bound(year))}) TO (${sql.lit(bound(year + 1))})`.execute(db);
	}

	const names = columns.rows.map((c) => c.name);
	const target = sql.join(names.map((n) => sql.id(n)));
	const source = sql.join(
		names.map((n) =>
			n === 'id'
				? sql`CASE WHEN kind = 'refund' THEN operation_refund_id(reverses_id) ELSE id END`
				: sql.id(n)
		)
	);
	await sql`INSERT INTO operations (${target}) SELECT ${source} FROM operations_unpartitioned`.execute(
		db
	);
	await sql`DROP TABLE operations_unpartitioned`.execute(db);

	await sql`ALTER TABLE operations ADD CONSTRAINT operations_refund_id_check
		CHECK (kind <> 'refund' OR id = operation_refund_id(reverses_id))`.execute(db);
	for (const index of indexes.rows) await sql.raw(index.definition).execute(db);
	await sql`CREATE INDEX operations_reverses_idx ON operations (reverses_id)
		WHERE reverses_id IS NOT NULL`.execute(db);
	for (const fk of [...ownForeignKeys, ...incomingForeignKeys])
		await sql`ALTER TABLE ${sql.raw(fk.owner)} ADD CONSTRAINT ${sql.id(fk.name)} ${sql.raw(fk.definition)}`.execute(
			db
		);
}

export async function down(): Promise<void> {
	throw new Error('0008_partitions cannot be undone: the refunds were given derived IDs');
}
