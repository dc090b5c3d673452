import { sql, type Kysely } from 'kysely';

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
	/** Years whose range already holds rows in the default partition (see below). */
	skipped: string[];
}

/**
 * Makes sure the partitions from the year of `now` (or `yearsBack` before it: a back-fill) to
 * YEARS_AHEAD years after it exist: run at every start, daily while the server runs, and by
 * `npm run partitions`. Under an advisory lock, so instances starting together do not race.
 * A year whose range already holds rows in the default partition (a stray ID) cannot get its
 * own partition without moving them; it is reported and left to the default, where its
 * operations are still stored, found and unique — only not pruned.
 */
export async function ensureOperationPartitions<DB>(
	db: Kysely<DB>,
	now = new Date(),
	yearsAhead = YEARS_AHEAD,
	yearsBack = 0
): Promise<PartitionReport> {
	const report: PartitionReport = { created: [], skipped: [] };
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
			if ((stray.rows[0]?.n ?? 0) > 0) {
				report.skipped.push(name);
				continue;
			}
			await sql`create table ${sql.table(name)} partition of operations
				for values from (${sql.lit(from)}) to (${sql.lit(to)})`.execute(trx);
			report.created.push(name);
		}
	});
	return report;
}
