import { type Kysely, sql } from 'kysely';

/**
 * Paired terminals and cashiers (SPEC C10):
 * - `devices` gain a terminal credential (only the SHA-256 of its token) and a revocation
 *   (time and the admin's choice for operations taken offline before it);
 * - `pairing_codes`: one-time codes (only their hash) that turn a tablet into a terminal;
 * - `pairing_attempts`: the per-address throttle of `devices.pair`, shared by every process;
 * - `cashiers` with PBKDF2-SHA-256 PIN verifiers, and their failed PIN checks on the server;
 * - `operations` carry the cashier and the shift that took them;
 * - `companies.terminal_idle_seconds`: after how long an idle terminal asks for the PIN again.
 * Never edit once landed.
 */
const up_statements = [
	sql`ALTER TABLE devices
		ADD COLUMN credential_hash text UNIQUE,
		ADD COLUMN paired_at timestamptz,
		ADD COLUMN revoked_at timestamptz,
		ADD COLUMN revoke_mode text CHECK (revoke_mode IN ('accept_before', 'reject_unsent')),
		ADD CONSTRAINT devices_revocation_check CHECK ((revoked_at IS NULL) = (revoke_mode IS NULL))`,
	sql`CREATE TABLE pairing_codes (
		code_hash text PRIMARY KEY,
		company_id integer NOT NULL REFERENCES companies (id),
		name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
		created_by uuid REFERENCES users (id),
		created_at timestamptz NOT NULL DEFAULT now(),
		expires_at timestamptz NOT NULL,
		used_at timestamptz,
		device_id uuid REFERENCES devices (id)
	)`,
	sql`CREATE INDEX pairing_codes_company_idx ON pairing_codes (company_id, created_at DESC)`,
	sql`CREATE TABLE pairing_attempts (
		id bigserial PRIMARY KEY,
		ip text NOT NULL,
		succeeded boolean NOT NULL,
		attempted_at timestamptz NOT NULL DEFAULT now()
	)`,
	sql`CREATE INDEX pairing_attempts_ip_idx ON pairing_attempts (ip, attempted_at DESC)`,
	sql`CREATE TABLE cashiers (
		id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
		company_id integer NOT NULL REFERENCES companies (id),
		name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
		pin_salt text NOT NULL,
		pin_verifier text NOT NULL,
		pin_iterations integer NOT NULL CHECK (pin_iterations >= 100000),
		active boolean NOT NULL DEFAULT true,
		can_refund boolean NOT NULL DEFAULT false,
		created_at timestamptz NOT NULL DEFAULT now(),
		updated_at timestamptz NOT NULL DEFAULT now()
	)`,
	sql`CREATE INDEX cashiers_company_idx ON cashiers (company_id, name)`,
	sql`CREATE TABLE cashier_pin_attempts (
		id bigserial PRIMARY KEY,
		cashier_id uuid NOT NULL REFERENCES cashiers (id) ON DELETE CASCADE,
		device_id uuid REFERENCES devices (id),
		succeeded boolean NOT NULL,
		attempted_at timestamptz NOT NULL DEFAULT now()
	)`,
	sql`CREATE INDEX cashier_pin_attempts_idx ON cashier_pin_attempts (cashier_id, attempted_at DESC)`,
	sql`ALTER TABLE operations
		ADD COLUMN cashier_id uuid REFERENCES cashiers (id),
		ADD COLUMN shift_id uuid`,
	sql`CREATE INDEX operations_shift_idx ON operations (shift_id) WHERE shift_id IS NOT NULL`,
	sql`CREATE INDEX operations_device_idx ON operations (device_id, occurred_at DESC)
		WHERE device_id IS NOT NULL`,
	sql`ALTER TABLE companies ADD COLUMN terminal_idle_seconds integer NOT NULL DEFAULT 300
		CHECK (terminal_idle_seconds BETWEEN 10 AND 86400)`
];

export async function up(db: Kysely<unknown>): Promise<void> {
	for (const statement of up_statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE companies DROP COLUMN IF EXISTS terminal_idle_seconds`.execute(db);
	await sql`DROP INDEX IF EXISTS operations_device_idx`.execute(db);
	await sql`DROP INDEX IF EXISTS operations_shift_idx`.execute(db);
	await sql`ALTER TABLE operations DROP COLUMN IF EXISTS shift_id, DROP COLUMN IF EXISTS cashier_id`.execute(
		db
	);
	for (const table of ['cashier_pin_attempts', 'cashiers', 'pairing_attempts', 'pairing_codes']) {
		await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
	}
	await sql`ALTER TABLE devices DROP CONSTRAINT IF EXISTS devices_revocation_check,
		DROP COLUMN IF EXISTS revoke_mode, DROP COLUMN IF EXISTS revoked_at,
		DROP COLUMN IF EXISTS paired_at, DROP COLUMN IF EXISTS credential_hash`.execute(db);
}
