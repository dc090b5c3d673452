import { type Kysely, sql } from 'kysely';

/**
 * The shared ledger shape that pay-with-cashback (C9) and the settlement statements (C11)
 * build on: each operation row also carries the part of the bill paid with cashback.
 *
 * - a payment: `redeemed_kopecks` between 0 and the bill; cashback accrues on
 *   `amount_kopecks - redeemed_kopecks` (the part paid with money);
 * - its refund: `redeemed_kopecks` = minus the payment's (the redeemed part goes back).
 *
 * So a customer's balance is `sum(cashback_kopecks) - sum(redeemed_kopecks)` over their
 * operations, and a company's statement reads accrued, reversed, redeemed and redemption
 * reversals from the same rows. Never edit once landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE operations ADD COLUMN redeemed_kopecks bigint NOT NULL DEFAULT 0`.execute(
		db
	);
	await sql`ALTER TABLE operations ADD CONSTRAINT operations_redeemed_check CHECK (
		(kind = 'payment' AND redeemed_kopecks >= 0 AND redeemed_kopecks <= amount_kopecks)
		OR (kind = 'refund' AND redeemed_kopecks <= 0 AND redeemed_kopecks >= amount_kopecks)
	)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE operations DROP CONSTRAINT IF EXISTS operations_redeemed_check`.execute(db);
	await sql`ALTER TABLE operations DROP COLUMN IF EXISTS redeemed_kopecks`.execute(db);
}
