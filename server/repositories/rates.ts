import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The rate in force at `at` (default now), or null when the company has none yet. Payments use
 * the rate of their occurredAt; this is the same rule for one moment.
 */
export async function getRateAt(db: Db, companyId: number, at?: Date): Promise<number | null> {
	const row = await db
		.selectFrom('company_rates')
		.select('rate_bp')
		.where('company_id', '=', companyId)
		.where('effective_from', '<=', at ?? sql<Date>`now()`)
		.orderBy('effective_from', 'desc')
		.limit(1)
		.executeTakeFirst();
	return row?.rate_bp ?? null;
}

/** The whole history, newest first, with who set each rate. */
export function listRateHistory(db: Db, companyId: number) {
	return db
		.selectFrom('company_rates')
		.leftJoin('users', 'users.id', 'company_rates.created_by')
		.select([
			'company_rates.id',
			'company_rates.rate_bp as rateBp',
			'company_rates.effective_from as effectiveFrom',
			'company_rates.created_at as createdAt',
			'users.email as createdBy'
		])
		.where('company_rates.company_id', '=', companyId)
		.orderBy('company_rates.effective_from', 'desc')
		.execute();
}

export async function hasAnyRate(db: Db, companyId: number): Promise<boolean> {
	const row = await db
		.selectFrom('company_rates')
		.select('id')
		.where('company_id', '=', companyId)
		.limit(1)
		.executeTakeFirst();
	return row !== undefined;
}

/**
 * Adds a rate effective from a moment; earlier rows stay, so every operation keeps the rate
 * of its own time. Two rates cannot start at the same instant (the unique key says so).
 */
export async function insertRate(
	db: Db,
	input: { companyId: number; rateBp: number; effectiveFrom: Date; createdBy: string | null }
): Promise<{ ok: true; id: number } | { ok: false; error: 'same_moment' }> {
	const row = await db
		.insertInto('company_rates')
		.values({
			company_id: input.companyId,
			rate_bp: input.rateBp,
			effective_from: input.effectiveFrom,
			created_by: input.createdBy
		})
		.onConflict((oc) => oc.columns(['company_id', 'effective_from']).doNothing())
		.returning('id')
		.executeTakeFirst();
	return row ? { ok: true, id: row.id } : { ok: false, error: 'same_moment' };
}

/**
 * A wall-clock time typed for a company ("2026-03-01T09:00") as an instant, read in the
 * company's time zone by Postgres (which knows the zone rules, daylight saving included).
 */
export async function localTimeToInstant(
	db: Db,
	companyId: number,
	localDateTime: string
): Promise<Date> {
	const row = await sql<{ at: Date }>`
		select (${localDateTime}::text::timestamp at time zone c.time_zone) as at
		from companies c where c.id = ${companyId}`.execute(db);
	const at = row.rows[0]?.at;
	if (!at) throw new Error(`company ${companyId} not found`);
	return new Date(at);
}
