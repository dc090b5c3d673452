import { type Kysely, sql } from 'kysely';

/**
 * The day summaries (0006) gain the issue 22 figures: cashback expired (ledger kind `expiry`,
 * signed as in the ledger: <= 0) and the campaign part of cashback (signed: a refund takes it
 * back). Existing data has neither, so both start at 0 and still equal the ledger
 * (`npm run verify:summaries` checks them with the rest).
 *
 * Never edit once landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE company_day_summaries
		ADD COLUMN expired_kopecks bigint NOT NULL DEFAULT 0,
		ADD COLUMN campaign_cashback_kopecks bigint NOT NULL DEFAULT 0`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE company_day_summaries DROP COLUMN IF EXISTS expired_kopecks,
		DROP COLUMN IF EXISTS campaign_cashback_kopecks`.execute(db);
}
