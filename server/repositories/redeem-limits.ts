import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The largest share of a bill (basis points) the company accepts in cashback at `at`
 * (default now); 0 when it accepts none or has never set a limit.
 */
export async function getRedeemLimitAt(db: Db, companyId: number, at?: Date): Promise<number> {
	const row = await db
		.selectFrom('company_redeem_limits')
		.select('redeem_max_bp')
		.where('company_id', '=', companyId)
		.where('effective_from', '<=', at ?? sql<Date>`now()`)
		.orderBy('effective_from', 'desc')
		.limit(1)
		.executeTakeFirst();
	return row?.redeem_max_bp ?? 0;
}

/** The whole limit history, newest first, with who set each limit. */
export function listRedeemLimitHistory(db: Db, companyId: number) {
	return db
		.selectFrom('company_redeem_limits')
		.leftJoin('users', 'users.id', 'company_redeem_limits.created_by')
		.select([
			'company_redeem_limits.id',
			'company_redeem_limits.redeem_max_bp as redeemMaxBp',
			'company_redeem_limits.effective_from as effectiveFrom',
			'company_redeem_limits.created_at as createdAt',
			'users.email as createdBy'
		])
		.where('company_redeem_limits.company_id', '=', companyId)
		.orderBy('company_redeem_limits.effective_from', 'desc')
		.execute();
}

/**
 * Adds a limit effective from a moment; earlier rows stay (like rates). Two limits cannot
 * start at the same instant.
 */
export async function insertRedeemLimit(
	db: Db,
	input: { companyId: number; redeemMaxBp: number; effectiveFrom: Date; createdBy: string | null }
): Promise<{ ok: true; id: number } | { ok: false; error: 'same_moment' }> {
	const row = await db
		.insertInto('company_redeem_limits')
		.values({
			company_id: input.companyId,
			redeem_max_bp: input.redeemMaxBp,
			effective_from: input.effectiveFrom,
			created_by: input.createdBy
		})
		.onConflict((oc) => oc.columns(['company_id', 'effective_from']).doNothing())
		.returning('id')
		.executeTakeFirst();
	return row ? { ok: true, id: row.id } : { ok: false, error: 'same_moment' };
}
