import { type Kysely, sql } from 'kysely';

/**
 * Settlement statements (SPEC C11) and the per-company per-day summaries they, the period
 * totals and the platform overview read instead of scanning the ledger.
 *
 * - `company_day_summaries`: one row per company, local day (company time zone) and
 *   statement month — the month of the statement the day's operations are accounted in. That
 *   is the day's own month, except for an operation recorded after its month was closed (a
 *   late offline operation): it goes to the month after the last closed one, the next open
 *   statement. Sums are the ledger's signed sums, split by kind.
 * - `statement_books`: per company, the last closed month and the moment it closed. Writers
 *   of operations read it `FOR KEY SHARE`, a close takes it `FOR UPDATE`, so an operation is
 *   either in a closed statement's figures or recorded after its closing moment, never both.
 *   One row per company, created with the company (trigger) and backfilled here.
 * - `statements`: a closed month's frozen canonical content and its SHA-256; a trigger
 *   refuses any update or delete.
 * - `kopek_closing_race()`: raised by a writer whose transaction began before a close that
 *   froze its month; the whole call fails with serialization_failure and is retried (then
 *   recorded after the close, so it is a late operation).
 *
 * Never edit once landed.
 */
const up_statements = [
	sql`CREATE TABLE company_day_summaries (
		company_id integer NOT NULL REFERENCES companies (id),
		day date NOT NULL,
		statement_month date NOT NULL CHECK (statement_month = date_trunc('month', statement_month)::date),
		payment_count bigint NOT NULL DEFAULT 0,
		payment_amount_kopecks bigint NOT NULL DEFAULT 0,
		payment_cashback_kopecks bigint NOT NULL DEFAULT 0,
		payment_redeemed_kopecks bigint NOT NULL DEFAULT 0,
		refund_count bigint NOT NULL DEFAULT 0,
		refund_amount_kopecks bigint NOT NULL DEFAULT 0,
		refund_cashback_kopecks bigint NOT NULL DEFAULT 0,
		refund_redeemed_kopecks bigint NOT NULL DEFAULT 0,
		PRIMARY KEY (company_id, day, statement_month),
		CHECK (statement_month >= date_trunc('month', day)::date)
	)`,
	sql`CREATE INDEX company_day_summaries_statement_idx
		ON company_day_summaries (company_id, statement_month)`,
	sql`CREATE INDEX company_day_summaries_day_idx ON company_day_summaries (day)`,
	sql`CREATE TABLE statement_books (
		company_id integer PRIMARY KEY REFERENCES companies (id),
		closed_through date CHECK (closed_through = date_trunc('month', closed_through)::date),
		closed_at timestamptz,
		CHECK ((closed_through IS NULL) = (closed_at IS NULL))
	)`,
	sql`CREATE TABLE statements (
		company_id integer NOT NULL REFERENCES companies (id),
		month date NOT NULL CHECK (month = date_trunc('month', month)::date),
		closed_at timestamptz NOT NULL,
		closed_by uuid REFERENCES users (id),
		content text NOT NULL,
		sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
		net_kopecks bigint NOT NULL,
		PRIMARY KEY (company_id, month)
	)`,
	sql`CREATE INDEX statements_month_idx ON statements (month)`,
	sql`CREATE FUNCTION kopek_statement_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			RAISE EXCEPTION 'a closed statement never changes' USING ERRCODE = 'integrity_constraint_violation';
		END $$`,
	sql`CREATE TRIGGER statements_frozen BEFORE UPDATE OR DELETE ON statements
		FOR EACH ROW EXECUTE FUNCTION kopek_statement_frozen()`,
	sql`CREATE FUNCTION kopek_company_books() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			INSERT INTO statement_books (company_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
			RETURN NEW;
		END $$`,
	sql`CREATE TRIGGER companies_books AFTER INSERT ON companies
		FOR EACH ROW EXECUTE FUNCTION kopek_company_books()`,
	sql`CREATE FUNCTION kopek_closing_race() RETURNS date LANGUAGE plpgsql VOLATILE AS $$
		BEGIN
			RAISE EXCEPTION 'the month closed while this transaction ran; retry'
				USING ERRCODE = 'serialization_failure';
		END $$`,
	sql`INSERT INTO statement_books (company_id) SELECT id FROM companies`,
	// Backfill from the ledger: nothing is closed yet, so each day is in its own month.
	sql`INSERT INTO company_day_summaries
		SELECT o.company_id, d.day, date_trunc('month', d.day)::date,
			count(*) FILTER (WHERE o.kind = 'payment'),
			coalesce(sum(o.amount_kopecks) FILTER (WHERE o.kind = 'payment'), 0),
			coalesce(sum(o.cashback_kopecks) FILTER (WHERE o.kind = 'payment'), 0),
			coalesce(sum(o.redeemed_kopecks) FILTER (WHERE o.kind = 'payment'), 0),
			count(*) FILTER (WHERE o.kind = 'refund'),
			coalesce(sum(o.amount_kopecks) FILTER (WHERE o.kind = 'refund'), 0),
			coalesce(sum(o.cashback_kopecks) FILTER (WHERE o.kind = 'refund'), 0),
			coalesce(sum(o.redeemed_kopecks) FILTER (WHERE o.kind = 'refund'), 0)
		FROM operations o
		JOIN companies c ON c.id = o.company_id
		CROSS JOIN LATERAL (SELECT (o.occurred_at AT TIME ZONE c.time_zone)::date AS day) d
		GROUP BY o.company_id, d.day`
];

export async function up(db: Kysely<unknown>): Promise<void> {
	for (const statement of up_statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DROP TRIGGER IF EXISTS companies_books ON companies`.execute(db);
	for (const table of ['statements', 'statement_books', 'company_day_summaries']) {
		await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
	}
	for (const fn of ['kopek_statement_frozen', 'kopek_company_books', 'kopek_closing_race']) {
		await sql`DROP FUNCTION IF EXISTS ${sql.raw(fn)}()`.execute(db);
	}
}
