import { type Kysely, sql } from 'kysely';

/**
 * Refunds by lines (issue 20, SPEC C13): the receipt lines a till sent with a sale, and which
 * of them each refund took back.
 *
 * `sale_lines`: a sale's lines by their number in the receipt (from 1), as the till sent them;
 * quantities in thousandths (`quantity_milli`: 54-FZ quantities have at most three decimals).
 * Written after the sale, `ON CONFLICT DO NOTHING`, so a repeat of the sale fills them in if
 * the first attempt stopped between the two.
 *
 * `refund_lines`: per refund by lines, each line's quantity and the part of the bill it took
 * back. A line is never refunded past what was sold (checked under the sale's lines' row lock,
 * services/till-api.ts); the refund's total stays within the sale's bill as every refund does
 * (repositories/refunds.ts).
 *
 * No foreign key to `operations` (partitioned by id, 0008): lines are written only for a sale
 * just stored, by the same door.
 *
 * Never edit once landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`CREATE TABLE sale_lines (
		operation_id uuid NOT NULL,
		line_no integer NOT NULL CHECK (line_no BETWEEN 1 AND 500),
		company_id integer NOT NULL REFERENCES companies (id),
		name text NOT NULL,
		quantity_milli bigint NOT NULL CHECK (quantity_milli > 0),
		amount_kopecks bigint NOT NULL CHECK (amount_kopecks >= 0),
		no_cashback boolean NOT NULL DEFAULT false,
		no_redeem boolean NOT NULL DEFAULT false,
		PRIMARY KEY (operation_id, line_no)
	)`.execute(db);
	await sql`CREATE TABLE refund_lines (
		refund_id uuid NOT NULL,
		operation_id uuid NOT NULL,
		line_no integer NOT NULL,
		quantity_milli bigint NOT NULL CHECK (quantity_milli > 0),
		amount_kopecks bigint NOT NULL CHECK (amount_kopecks >= 0),
		PRIMARY KEY (refund_id, line_no),
		FOREIGN KEY (operation_id, line_no) REFERENCES sale_lines (operation_id, line_no)
	)`.execute(db);
	await sql`CREATE INDEX refund_lines_sale_idx ON refund_lines (operation_id, line_no)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DROP TABLE IF EXISTS refund_lines`.execute(db);
	await sql`DROP TABLE IF EXISTS sale_lines`.execute(db);
}
