import { type Kysely, sql } from 'kysely';

/**
 * Issue 18 (SPEC C16): code failures lock a customer only where they happen, and the operator
 * sees companies that probe for customers.
 *
 * - `otp_locks`: a customer's redemption locked at one company until `locked_until` — after
 *   too many wrong codes at that company (`cause` = 'company'), or at every company with
 *   failures once the platform-wide ceiling is reached ('platform'). Replaces the one
 *   platform-wide `customer_otp_secrets.locked_until`, which any company could set for all.
 * - `customer_probes`: per company and hour, how many customer IDs it asked about that do not
 *   exist (sync, redemption, lookup) and how many of its calls the lookup limit refused; one
 *   row per company-hour, so a company hammering the limit cannot grow the table.
 *
 * Never edit once landed.
 */
const up_statements = [
	sql`CREATE TABLE otp_locks (
		customer_id text NOT NULL REFERENCES customers (id),
		company_id integer NOT NULL REFERENCES companies (id),
		locked_until timestamptz NOT NULL,
		cause text NOT NULL CHECK (cause IN ('company', 'platform')),
		locked_at timestamptz NOT NULL,
		PRIMARY KEY (customer_id, company_id)
	)`,
	sql`CREATE INDEX otp_locks_until_idx ON otp_locks (locked_until)`,
	sql`CREATE INDEX otp_failures_customer_company_idx ON otp_failures (customer_id, company_id, failed_at)`,
	sql`ALTER TABLE customer_otp_secrets DROP COLUMN locked_until`,
	sql`CREATE TABLE customer_probes (
		company_id integer NOT NULL REFERENCES companies (id),
		hour timestamptz NOT NULL,
		unknown_ids integer NOT NULL DEFAULT 0 CHECK (unknown_ids >= 0),
		throttled integer NOT NULL DEFAULT 0 CHECK (throttled >= 0),
		last_at timestamptz NOT NULL,
		PRIMARY KEY (company_id, hour)
	)`,
	sql`CREATE INDEX customer_probes_hour_idx ON customer_probes (hour)`
];

export async function up(db: Kysely<unknown>): Promise<void> {
	for (const statement of up_statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DROP TABLE IF EXISTS customer_probes`.execute(db);
	await sql`ALTER TABLE customer_otp_secrets ADD COLUMN locked_until timestamptz`.execute(db);
	await sql`DROP INDEX IF EXISTS otp_failures_customer_company_idx`.execute(db);
	await sql`DROP TABLE IF EXISTS otp_locks`.execute(db);
}
