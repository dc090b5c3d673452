import { type Kysely, sql } from 'kysely';

/**
 * Day summaries striped by slot (issue 11). Every writer of a company adds to the company's
 * row of the day, so with one row per day all the company's terminals took turns on that row
 * lock, held from the sync's INSERT to its COMMIT: `bench:fleet` (one company, a terminal per
 * counter) levelled off at about 440 calls/s with the backends waiting on `transactionid`
 * locks, and at about 610 calls/s with the summaries left out. Now a row is per company, local
 * day, statement month and `slot` (0–15): a terminal's sync adds to its own slot (from its
 * device ID), so terminals of one company rarely meet. Readers already sum over rows; the
 * sums are the same, only spread. Existing rows become slot 0.
 *
 * Never edit once landed.
 */
const up_statements = [
	sql`ALTER TABLE company_day_summaries
		ADD COLUMN slot smallint NOT NULL DEFAULT 0 CHECK (slot BETWEEN 0 AND 15)`,
	sql`ALTER TABLE company_day_summaries DROP CONSTRAINT company_day_summaries_pkey`,
	sql`ALTER TABLE company_day_summaries ADD PRIMARY KEY (company_id, day, statement_month, slot)`
];

const SUMS = [
	'payment_count',
	'payment_amount_kopecks',
	'payment_cashback_kopecks',
	'payment_redeemed_kopecks',
	'refund_count',
	'refund_amount_kopecks',
	'refund_cashback_kopecks',
	'refund_redeemed_kopecks'
];

export async function up(db: Kysely<unknown>): Promise<void> {
	for (const statement of up_statements) await statement.execute(db);
}

/** Back to one row per day: the slots of a day are added up first. */
export async function down(db: Kysely<unknown>): Promise<void> {
	const columns = sql.raw(SUMS.join(', '));
	const sums = sql.raw(SUMS.map((c) => `sum(${c}) AS ${c}`).join(', '));
	await sql`CREATE TEMP TABLE summaries_unslotted AS
		SELECT company_id, day, statement_month, ${sums}
		FROM company_day_summaries GROUP BY company_id, day, statement_month`.execute(db);
	await sql`DELETE FROM company_day_summaries`.execute(db);
	await sql`ALTER TABLE company_day_summaries DROP CONSTRAINT company_day_summaries_pkey`.execute(
		db
	);
	await sql`ALTER TABLE company_day_summaries DROP COLUMN slot`.execute(db);
	await sql`ALTER TABLE company_day_summaries ADD PRIMARY KEY (company_id, day, statement_month)`.execute(
		db
	);
	await sql`INSERT INTO company_day_summaries (company_id, day, statement_month, ${columns})
		SELECT * FROM summaries_unslotted`.execute(db);
	await sql`DROP TABLE summaries_unslotted`.execute(db);
}
