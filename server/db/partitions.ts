import { sql, type Kysely, type Transaction } from 'kysely';
import { logger } from '../observability/logger';

/**
 * Yearly range partitions of `operations` on `id` (migration 0008_partitions). Counter
 * operations carry UUID v7 IDs, whose first 48 bits are the Unix millisecond time they were
 * made, so a year is the ID range from the UUID whose time bits are the year's first
 * millisecond (the rest zero) to the next year's: the primary key stays `(id)`, and a
 * partition holds one year of operations. IDs of no year made (UUID v4, a device clock far
 * off) live in `operations_default`.
 *
 * Years, not months: the list and totals filter by company and time, which cannot prune
 * partitions on `id` (a non-v7 ID may sit anywhere), so every query plans and probes each
 * partition; with months, three years of history made planning the list's query (a self-join
 * for refunds) the larger part of its cost (docs/SCALING.md).
 */

/** How many years after the current one always have their partition ready. */
export const YEARS_AHEAD = 1;

/** The lowest UUID of a year (UTC). */
export function yearLowerBound(year: number): string {
	const hex = Date.UTC(year, 0, 1).toString(16).padStart(12, '0');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}

export function partitionName(year: number): string {
	return `operations_y${year}`;
}

export interface PartitionReport {
	created: string[];
	/** New partitions whose range held rows in the default partition, moved into them. */
	moved: { partition: string; rows: number }[];
	/** Years whose stray rows could not be moved (see below): left to the default. */
	skipped: string[];
}

/**
 * Makes the partition of [from, to) when the default partition already holds rows of that
 * range (stray IDs: sync refuses such IDs since issue 18, but older rows or rows written
 * around it may exist): in one transaction the rows are copied aside, deleted from the
 * default, the partition is made and they are inserted again, landing in it — same rows,
 * same IDs, nothing else touched (no trigger sits on operations; refunds share their
 * payment's time bits, so a payment and its refund move together). Under a savepoint: when a
 * row cannot leave (a table outside operations points at it), nothing moves.
 */
async function makePartitionMovingStrays<DB>(
	trx: Transaction<DB>,
	name: string,
	from: string,
	to: string
): Promise<boolean> {
	await sql`savepoint kopek_partition_strays`.execute(trx);
	try {
		await sql`create temp table kopek_stray_operations on commit drop as
			select * from operations_default where id >= ${from}::uuid and id < ${to}::uuid`.execute(trx);
		await sql`delete from operations_default
			where id >= ${from}::uuid and id < ${to}::uuid`.execute(trx);
		await sql`create table ${sql.table(name)} partition of operations
			for values from (${sql.lit(from)}) to (${sql.lit(to)})`.execute(trx);
		await sql`insert into operations select * from kopek_stray_operations`.execute(trx);
		await sql`drop table kopek_stray_operations`.execute(trx);
		await sql`release savepoint kopek_partition_strays`.execute(trx);
		return true;
	} catch (error) {
		await sql`rollback to savepoint kopek_partition_strays`.execute(trx);
		logger.error(
			{ partition: name, err: error instanceof Error ? error.message : String(error) },
			'partitions: stray rows in operations_default could not be moved; the year stays unpartitioned'
		);
		return false;
	}
}

/**
 * Makes sure the partitions from the year of `now` (or `yearsBack` before it: a back-fill) to
 * YEARS_AHEAD years after it exist: run at every start, daily while the server runs, and by
 * `npm run partitions`. Under an advisory lock, so instances starting together do not race.
 * A year whose range already holds rows in the default partition (a stray ID) gets its
 * partition all the same: the rows are moved into it, reported and logged as an error. Only
 * when they cannot move (another table points at one) is the year left to the default, where
 * its operations are still stored, found and unique — only not pruned.
 */
export async function ensureOperationPartitions<DB>(
	db: Kysely<DB>,
	now = new Date(),
	yearsAhead = YEARS_AHEAD,
	yearsBack = 0
): Promise<PartitionReport> {
	const report: PartitionReport = { created: [], moved: [], skipped: [] };
	await db.transaction().execute(async (trx) => {
		await sql`select pg_advisory_xact_lock(hashtext('kopek_operations_partitions'))`.execute(trx);
		const partitioned = await sql<{ kind: string }>`
			select c.relkind::text as kind from pg_class c
			where c.oid = to_regclass('operations')`.execute(trx);
		if (partitioned.rows[0]?.kind !== 'p') return;
		const existing = new Set(
			(
				await sql<{ name: string }>`
					select c.relname as name from pg_inherits i
					join pg_class c on c.oid = i.inhrelid
					where i.inhparent = to_regclass('operations')`.execute(trx)
			).rows.map((r) => r.name)
		);
		for (let k = -yearsBack; k <= yearsAhead; k++) {
			const year = now.getUTCFullYear() + k;
			const name = partitionName(year);
			if (existing.has(name)) continue;
			const from = yearLowerBound(year);
			const to = yearLowerBound(year + 1);
			const stray = await sql<{ n: number }>`
				select count(*)::int as n from operations_default
				where id >= ${from}::uuid and id < ${to}::uuid`.execute(trx);
			const strays = stray.rows[0]?.n ?? 0;
			if (strays > 0) {
				// Loud: a row of a year not yet partitioned came in by a door that does not check IDs.
				logger.error(
					{ partition: name, rows: strays },
					`partitions: operations_default holds ${strays} row(s) of ${name}'s range; moving them into the new partition`
				);
				if (await makePartitionMovingStrays(trx, name, from, to)) {
					report.created.push(name);
					report.moved.push({ partition: name, rows: strays });
				} else report.skipped.push(name);
				continue;
			}
			await sql`create table ${sql.table(name)} partition of operations
				for values from (${sql.lit(from)}) to (${sql.lit(to)})`.execute(trx);
			report.created.push(name);
		}
	});
	return report;
}
