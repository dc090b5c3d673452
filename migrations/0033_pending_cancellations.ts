import { type Kysely, sql } from 'kysely';

/**
 * Closed statements freeze a pending figure (issue 22): the cashback accounted through the
 * month still on hold at the closing moment. To check that figure against the ledger later
 * (`npm run verify:summaries`), each cancellation of pending cashback is kept with its moment
 * (clock_timestamp(): a refund cancels after its summaries step has taken the company's books,
 * so a close sees exactly the cancellations before its closing moment) and the refund that
 * made it (none: the customer's erasure). `pending_cashback.cancelled_kopecks` stays the sum of
 * its cancellations.
 *
 * `pending_cashback.operation_occurred_at`: when its operation happened (a statement counts
 * pending cashback of the operations it accounts: their day), back-filled from the ledger;
 * null only for rows written without it, which look their operation up.
 *
 * The company's pending index covers what a statement's hold figures read (created_at,
 * operation_occurred_at, kopecks, cancelled_kopecks, operation_id): an open statement reads
 * them on every view, by an index-only scan instead of a visit to the ledger per pending row.
 * It replaces 0030's, so a synced payment still writes as many indexes.
 *
 * Existing cancellations are attributed to the latest refund of their payment (or, with none,
 * to the moment of this migration); statements closed before this migration carry no pending
 * figure, so existing data comes in with nothing pending.
 *
 * Never edit once landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`CREATE TABLE pending_cancellations (
		id bigserial PRIMARY KEY,
		operation_id uuid NOT NULL REFERENCES pending_cashback (operation_id),
		refund_id uuid,
		kopecks bigint NOT NULL CHECK (kopecks > 0),
		cancelled_at timestamptz NOT NULL DEFAULT clock_timestamp()
	)`.execute(db);
	await sql`CREATE INDEX pending_cancellations_operation_idx
		ON pending_cancellations (operation_id) INCLUDE (refund_id, kopecks, cancelled_at)`.execute(db);
	await sql`INSERT INTO pending_cancellations (operation_id, refund_id, kopecks)
		SELECT p.operation_id,
			(SELECT r.id FROM operations r WHERE r.reverses_id = p.payment_id AND r.kind = 'refund'
				ORDER BY r.recorded_at DESC, r.id DESC LIMIT 1),
			p.cancelled_kopecks
		FROM pending_cashback p WHERE p.cancelled_kopecks > 0`.execute(db);
	await sql`ALTER TABLE pending_cashback ADD COLUMN operation_occurred_at timestamptz`.execute(db);
	await sql`UPDATE pending_cashback p SET operation_occurred_at = o.occurred_at
		FROM operations o WHERE o.id = p.operation_id`.execute(db);
	await sql`CREATE INDEX pending_cashback_company_cover_idx ON pending_cashback
		(company_id, available_at)
		INCLUDE (created_at, operation_occurred_at, kopecks, cancelled_kopecks, operation_id)`.execute(db);
	await sql`DROP INDEX IF EXISTS pending_cashback_company_idx`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`CREATE INDEX IF NOT EXISTS pending_cashback_company_idx
		ON pending_cashback (company_id, available_at)`.execute(db);
	await sql`DROP INDEX IF EXISTS pending_cashback_company_cover_idx`.execute(db);
	await sql`ALTER TABLE pending_cashback DROP COLUMN IF EXISTS operation_occurred_at`.execute(db);
	await sql`DROP TABLE IF EXISTS pending_cancellations`.execute(db);
}
