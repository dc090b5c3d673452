import { type Kysely, sql } from 'kysely';

/**
 * Cashback on hold for review (issue 18, SPEC C16).
 *
 * A payment whose cashback is held is stored like any other (the sync's outcome is
 * `accepted`), but with `cashback_kopecks = 0`: the ledger, the balance, the day summaries and
 * the statements see no credit. What it would have credited waits in `operation_holds`, one
 * row per held payment, with why it was held (a velocity rule, a revoked terminal's late
 * operation), until a person decides:
 * - confirmed (`released`): a ledger row of the new kind `release` credits the held cashback
 *   then (amount 0, the held cashback, no redeemed part), in the same transaction as the
 *   balance and the day summaries, with who and when on the hold row;
 * - cancelled: never reaches the balance; who and when on the hold row. A refund of a held
 *   payment cancels its hold.
 * The hold row is the general "not yet spendable" state: a later hold period (issue 22) can
 * add its own reason and a release time and reuse the same release entry.
 *
 * The CHECKs of `operations` that name the kinds are replaced by ones that know `release`
 * (found by their definitions: 0008 copied them onto the partitioned table by name).
 *
 * Never edit once landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
	const checks = await sql<{ name: string }>`
		select conname::text as name from pg_constraint
		where conrelid = to_regclass('operations') and contype = 'c'
			and pg_get_constraintdef(oid) like '%kind%'
			and conname::text <> 'operations_refund_id_check'`.execute(db);
	for (const check of checks.rows)
		await sql`ALTER TABLE operations DROP CONSTRAINT ${sql.id(check.name)}`.execute(db);
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
	await sql`CREATE TABLE operation_holds (
		operation_id uuid PRIMARY KEY,
		company_id integer NOT NULL REFERENCES companies (id),
		customer_id text NOT NULL REFERENCES customers (id),
		held_kopecks bigint NOT NULL CHECK (held_kopecks >= 0),
		reason text NOT NULL CHECK (reason IN
			('velocity_customer_hour', 'velocity_cashier_day', 'near_bill_limit', 'revoked_terminal')),
		status text NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'released', 'cancelled')),
		held_at timestamptz NOT NULL DEFAULT now(),
		decided_at timestamptz,
		decided_by uuid REFERENCES users (id),
		release_id uuid,
		CHECK ((status = 'held') = (decided_at IS NULL)),
		CHECK ((status = 'released') = (release_id IS NOT NULL))
	)`.execute(db);
	await sql`CREATE INDEX operation_holds_open_idx ON operation_holds (company_id, held_at)
		WHERE status = 'held'`.execute(db);
	await sql`CREATE INDEX operation_holds_held_at_idx ON operation_holds (held_at DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DROP TABLE IF EXISTS operation_holds`.execute(db);
	await sql`DELETE FROM operations WHERE kind = 'release'`.execute(db);
	await sql`ALTER TABLE operations DROP CONSTRAINT operations_kind_check,
		DROP CONSTRAINT operations_check, DROP CONSTRAINT operations_redeemed_check`.execute(db);
	await sql`ALTER TABLE operations ADD CONSTRAINT operations_kind_check
		CHECK (kind IN ('payment', 'refund'))`.execute(db);
	await sql`ALTER TABLE operations ADD CONSTRAINT operations_check CHECK (
		(kind = 'payment' AND reverses_id IS NULL AND amount_kopecks > 0 AND cashback_kopecks >= 0)
		OR (kind = 'refund' AND reverses_id IS NOT NULL AND amount_kopecks < 0 AND cashback_kopecks <= 0)
	)`.execute(db);
	await sql`ALTER TABLE operations ADD CONSTRAINT operations_redeemed_check CHECK (
		(kind = 'payment' AND redeemed_kopecks >= 0 AND redeemed_kopecks <= amount_kopecks)
		OR (kind = 'refund' AND redeemed_kopecks <= 0 AND redeemed_kopecks >= amount_kopecks)
	)`.execute(db);
}
