import { type Kysely, sql } from 'kysely';

/**
 * The program's levers (issue 22, SPEC C15): a hold period and an expiry, set by the operator
 * for the whole platform, with their history.
 *
 * - `program_rules`: one row per change (hold 0–30 days, expiry 0 = never or 3–24 months, the
 *   largest campaign rate the operator allows). The row in force is the latest effective_from
 *   <= the moment asked about. Existing data comes in under a first row of hold 0 and no
 *   expiry, so nothing already credited becomes pending and nothing expires.
 * - `pending_cashback`: one row per ledger row (a payment, or the `release` of a reviewed
 *   hold) whose cashback is not spendable yet, with the moment it becomes spendable. The
 *   balance row (`customer_balances.balance_kopecks`) keeps being the ledger sum (its CHECK
 *   >= 0 stays); the *available* balance is that sum minus what is still pending at the
 *   moment of reading (`available_at > now()`), computed in the same statement that spends,
 *   so pending → available needs no job at all: nothing can miss a row. A refund cancels the
 *   still-pending share of its payment (`cancelled_kopecks`); history is kept.
 * - `customer_balances.last_activity_at`: when the customer's balance last moved by an
 *   operation of theirs (the expiry clock), back-filled from the ledger.
 * - the ledger kind `expiry`: the available balance expired (amount 0, cashback < 0).
 * - `kopek_uuidv7()`: a UUID v7 made in SQL, for ledger rows written set-wise (expiry).
 *
 * Never edit once landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`CREATE TABLE program_rules (
		id serial PRIMARY KEY,
		hold_days integer NOT NULL CHECK (hold_days BETWEEN 0 AND 30),
		expiry_months integer NOT NULL CHECK (expiry_months = 0 OR expiry_months BETWEEN 3 AND 24),
		campaign_max_bp integer NOT NULL DEFAULT 10000 CHECK (campaign_max_bp BETWEEN 1 AND 10000),
		effective_from timestamptz NOT NULL DEFAULT now(),
		created_by uuid REFERENCES users (id),
		created_at timestamptz NOT NULL DEFAULT now()
	)`.execute(db);
	await sql`CREATE INDEX program_rules_effective_idx ON program_rules (effective_from)`.execute(db);
	await sql`INSERT INTO program_rules (hold_days, expiry_months, effective_from)
		VALUES (0, 0, '2000-01-01T00:00:00Z')`.execute(db);

	await sql`CREATE TABLE pending_cashback (
		operation_id uuid PRIMARY KEY,
		payment_id uuid NOT NULL,
		customer_id text NOT NULL REFERENCES customers (id),
		company_id integer NOT NULL REFERENCES companies (id),
		kopecks bigint NOT NULL CHECK (kopecks > 0),
		cancelled_kopecks bigint NOT NULL DEFAULT 0
			CHECK (cancelled_kopecks >= 0 AND cancelled_kopecks <= kopecks),
		available_at timestamptz NOT NULL,
		created_at timestamptz NOT NULL DEFAULT now()
	)`.execute(db);
	await sql`CREATE INDEX pending_cashback_customer_idx
		ON pending_cashback (customer_id, available_at) INCLUDE (kopecks, cancelled_kopecks)`.execute(db);
	await sql`CREATE INDEX pending_cashback_payment_idx ON pending_cashback (payment_id)`.execute(db);
	await sql`CREATE INDEX pending_cashback_company_idx
		ON pending_cashback (company_id, available_at)`.execute(db);

	await addActivityClock(db);

	const checks = await sql<{ name: string }>`
		select conname::text as name from pg_constraint
		where conrelid = to_regclass('operations') and contype = 'c'
			and pg_get_constraintdef(oid) like '%kind%'
			and conname::text <> 'operations_refund_id_check'`.execute(db);
	for (const check of checks.rows)
		await sql`ALTER TABLE operations DROP CONSTRAINT ${sql.id(check.name)}`.execute(db);
	await sql`ALTER TABLE operations ADD CONSTRAINT operations_kind_check
		CHECK (kind IN ('payment', 'refund', 'release', 'expiry'))`.execute(db);
	await sql`ALTER TABLE operations ADD CONSTRAINT operations_check CHECK (
		(kind = 'payment' AND reverses_id IS NULL AND amount_kopecks > 0 AND cashback_kopecks >= 0)
		OR (kind = 'refund' AND reverses_id IS NOT NULL AND amount_kopecks < 0 AND cashback_kopecks <= 0)
		OR (kind = 'release' AND reverses_id IS NULL AND amount_kopecks = 0 AND cashback_kopecks > 0)
		OR (kind = 'expiry' AND reverses_id IS NULL AND amount_kopecks = 0 AND cashback_kopecks < 0)
	)`.execute(db);
	await sql`ALTER TABLE operations ADD CONSTRAINT operations_redeemed_check CHECK (
		(kind = 'payment' AND redeemed_kopecks >= 0 AND redeemed_kopecks <= amount_kopecks)
		OR (kind = 'refund' AND redeemed_kopecks <= 0 AND redeemed_kopecks >= amount_kopecks)
		OR (kind IN ('release', 'expiry') AND redeemed_kopecks = 0)
	)`.execute(db);

	await sql`CREATE FUNCTION kopek_uuidv7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
		select encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing
			substring(int8send((extract(epoch from clock_timestamp()) * 1000)::bigint) from 3)
			from 1 for 6), 52, 1), 53, 1), 'hex')::uuid
	$$`.execute(db);
}

/**
 * `customer_balances.last_activity_at`, back-filled from the ledger (exported: a test that
 * rebuilds the balances table with 0004 puts it back the same way).
 */
export async function addActivityClock(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE customer_balances ADD COLUMN last_activity_at timestamptz`.execute(db);
	await sql`UPDATE customer_balances b SET last_activity_at = l.at
		FROM (SELECT customer_id, max(recorded_at) AS at FROM operations GROUP BY customer_id) l
		WHERE l.customer_id = b.customer_id`.execute(db);
	await sql`UPDATE customer_balances SET last_activity_at = updated_at
		WHERE last_activity_at IS NULL`.execute(db);
	await sql`ALTER TABLE customer_balances ALTER COLUMN last_activity_at SET DEFAULT now(),
		ALTER COLUMN last_activity_at SET NOT NULL`.execute(db);
	await sql`CREATE INDEX customer_balances_activity_idx
		ON customer_balances (last_activity_at, customer_id) WHERE balance_kopecks > 0`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DROP FUNCTION IF EXISTS kopek_uuidv7()`.execute(db);
	await sql`DELETE FROM operations WHERE kind = 'expiry'`.execute(db);
	await sql`ALTER TABLE operations DROP CONSTRAINT operations_kind_check,
		DROP CONSTRAINT operations_check, DROP CONSTRAINT operations_redeemed_check`.execute(db);
	await sql`ALTER TABLE operations ADD CONSTRAINT operations_kind_check
		CHECK (kind IN ('payment', 'refund', 'release'))`.execute(db);
	await sql`ALTER TABLE operations ADD CONSTRAINT operations_check CHECK (
		(kind = 'payment' AND reverses_id IS NULL AND amount_kopecks > 0 AND cashback_kopecks >= 0)
		OR (kind = 'refund' AND reverses_id IS NOT NULL AND amount_kopecks < 0 AND cashback_kopecks <= 0)
		OR (kind = 'release' AND reverses_id IS NULL AND amount_kopecks = 0 AND cashback_kopecks > 0)
	)`.execute(db);
	await sql`ALTER TABLE operations ADD CONSTRAINT operations_redeemed_check CHECK (
		(kind = 'payment' AND redeemed_kopecks >= 0 AND redeemed_kopecks <= amount_kopecks)
		OR (kind = 'refund' AND redeemed_kopecks <= 0 AND redeemed_kopecks >= amount_kopecks)
		OR (kind = 'release' AND redeemed_kopecks = 0)
	)`.execute(db);
	await sql`ALTER TABLE customer_balances DROP COLUMN IF EXISTS last_activity_at`.execute(db);
	await sql`DROP TABLE IF EXISTS pending_cashback`.execute(db);
	await sql`DROP TABLE IF EXISTS program_rules`.execute(db);
}
