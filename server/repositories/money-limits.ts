import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/** A company's money limits as set (kopecks). */
export interface MoneyLimitRow {
	maxBillKopecks: number;
	maxCashbackKopecks: number;
}

/** The limits set for the company in force at `at` (default now); null when none was ever set. */
export async function getMoneyLimitsAt(
	db: Db,
	companyId: number,
	at?: Date
): Promise<MoneyLimitRow | null> {
	const row = await db
		.selectFrom('company_money_limits')
		.select(['max_bill_kopecks as maxBillKopecks', 'max_cashback_kopecks as maxCashbackKopecks'])
		.where('company_id', '=', companyId)
		.where('effective_from', '<=', at ?? sql<Date>`now()`)
		.orderBy('effective_from', 'desc')
		.limit(1)
		.executeTakeFirst();
	return row
		? {
				maxBillKopecks: Number(row.maxBillKopecks),
				maxCashbackKopecks: Number(row.maxCashbackKopecks)
			}
		: null;
}

/** The whole history, newest first, with who set each pair of limits. */
export async function listMoneyLimitHistory(db: Db, companyId: number) {
	const rows = await db
		.selectFrom('company_money_limits')
		.leftJoin('users', 'users.id', 'company_money_limits.created_by')
		.select([
			'company_money_limits.id',
			'company_money_limits.max_bill_kopecks as maxBillKopecks',
			'company_money_limits.max_cashback_kopecks as maxCashbackKopecks',
			'company_money_limits.effective_from as effectiveFrom',
			'company_money_limits.created_at as createdAt',
			'users.email as createdBy'
		])
		.where('company_money_limits.company_id', '=', companyId)
		.orderBy('company_money_limits.effective_from', 'desc')
		.execute();
	return rows.map((r) => ({
		...r,
		maxBillKopecks: Number(r.maxBillKopecks),
		maxCashbackKopecks: Number(r.maxCashbackKopecks)
	}));
}

/**
 * Adds limits effective from a moment; earlier rows stay (like rates). Two changes cannot
 * start at the same instant.
 */
export async function insertMoneyLimits(
	db: Db,
	input: MoneyLimitRow & { companyId: number; effectiveFrom: Date; createdBy: string | null }
): Promise<{ ok: true; id: number } | { ok: false; error: 'same_moment' }> {
	const row = await db
		.insertInto('company_money_limits')
		.values({
			company_id: input.companyId,
			max_bill_kopecks: input.maxBillKopecks,
			max_cashback_kopecks: input.maxCashbackKopecks,
			effective_from: input.effectiveFrom,
			created_by: input.createdBy
		})
		.onConflict((oc) => oc.columns(['company_id', 'effective_from']).doNothing())
		.returning('id')
		.executeTakeFirst();
	return row ? { ok: true, id: row.id } : { ok: false, error: 'same_moment' };
}
