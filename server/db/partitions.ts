import { sql, type Kysely } from 'kysely';

/**
 * Monthly range partitions of `operations` on `id` (migration 0008_partitions). Counter
 * operations carry UUID v7 IDs, whose first 48 bits are the Unix millisecond time they were
 * made, so a month is the ID range from the UUID whose time bits are the month's first
 * millisecond (the rest zero) to the next month's: the primary key stays `(id)`, and a
 * partition holds one month of operations. IDs of no month made (UUID v4, a device clock far
 * off) live in `operations_default`.
 */

/** How many months after the current one always have their partition ready. */
export const MONTHS_AHEAD = 3;

/** The lowest UUID of a month (UTC; `monthIndex` 0-11, or beyond to roll into later years). */
export function monthLowerBound(year: number, monthIndex: number): string {
	const hex = Date.UTC(year, monthIndex, 1).toString(16).padStart(12, '0');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}

export function partitionName(year: number, monthIndex: number): string {
	return `operations_y${year}m${String(monthIndex + 1).padStart(2, '0')}`;
}

export interface PartitionReport {
	created: string[];
	/** Months whose range already holds rows in the default partition (see below). */
	skipped: string[];
}

/**
 * Makes sure the partitions from the month of `now` to MONTHS_AHEAD months after it exist:
 * run at every start, daily while the server runs, and by `npm run partitions`. Under an
 * advisory lock, so instances starting together do not race. A month whose range already
 * holds rows in the default partition (a stray ID) cannot get its own partition without
 * moving them; it is reported and left to the default, where its operations are still
 * stored, found and unique — only not pruned.
 */
export async function ensureOperationPartitions<DB>(
	db: Kysely<DB>,
	now = new Date(),
	monthsAhead = MONTHS_AHEAD
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
		for (let k = 0; k <= monthsAhead; k++) {
			const year = now.getUTCFullYear();
			const month = now.getUTCMonth() + k;
			const start = new Date(Date.UTC(year, month, 1));
			const name = partitionName(start.getUTCFullYear(), start.getUTCMonth());
			if (existing.has(name)) continue;
			const from = monthLowerBound(year, month);
			const to = monthLowerBound(year, month + 1);
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
