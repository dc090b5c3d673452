import { type Kysely, sql } from 'kysely';

/**
 * Till integration (issue 20, SPEC C13).
 *
 * `integration_keys`: a company's API keys for its tills. Only the SHA-256 of the secret
 * (`kpk_` + 32 random bytes, base64url) is stored; the secret is shown once. Each key sends as
 * a device (`device_id`): the terminal it was bound to, or a device of its own made with it,
 * so the sync rules (device registered, revoked terminal) apply to the till as to a counter.
 *
 * `api_idempotency`: every POST's Idempotency-Key per key, with the request's hash and the
 * stored answer (status + body). `answer_status` is null while the first request runs.
 *
 * `operations_company_recorded_idx`: the reconciliation list reads a company's operations by
 * when the server recorded them.
 *
 * Never edit once landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`CREATE TABLE integration_keys (
		id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
		company_id integer NOT NULL REFERENCES companies (id),
		device_id uuid NOT NULL REFERENCES devices (id),
		name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
		secret_hash text NOT NULL UNIQUE,
		prefix text NOT NULL,
		bound_to_terminal boolean NOT NULL DEFAULT false,
		created_at timestamptz NOT NULL DEFAULT now(),
		created_by uuid REFERENCES users (id),
		last_used_at timestamptz,
		revoked_at timestamptz,
		revoked_by uuid REFERENCES users (id)
	)`.execute(db);
	await sql`CREATE INDEX integration_keys_company_idx ON integration_keys (company_id, created_at)`.execute(
		db
	);
	await sql`CREATE TABLE api_idempotency (
		key_id uuid NOT NULL REFERENCES integration_keys (id),
		idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 128),
		request_hash text NOT NULL,
		answer_status integer,
		answer_body jsonb,
		created_at timestamptz NOT NULL DEFAULT now(),
		PRIMARY KEY (key_id, idempotency_key)
	)`.execute(db);
	await sql`CREATE INDEX api_idempotency_created_idx ON api_idempotency (created_at)`.execute(db);
	// GET /api/v1/operations?since=…: a company's operations by when they were recorded.
	await sql`CREATE INDEX operations_company_recorded_idx
		ON operations (company_id, recorded_at, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DROP INDEX IF EXISTS operations_company_recorded_idx`.execute(db);
	await sql`DROP TABLE IF EXISTS api_idempotency`.execute(db);
	await sql`DROP TABLE IF EXISTS integration_keys`.execute(db);
}
