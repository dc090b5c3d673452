import { type Kysely, sql } from 'kysely';

/**
 * Webhooks (SPEC C14, issue 21): endpoints, the transactional outbox and its delivery log.
 *
 * - `webhook_endpoints`: a company's (company_id) or the operator's (company_id null, platform
 *   events) receiver: its URL, the events it chose, its signing secret sealed with
 *   KOPEK_SECRET_KEY (crypto/secret-box.ts) and, for 24 h after a rotation, the previous one.
 * - `webhook_events`: the outbox. A row is written in the same transaction as the change it
 *   reports, and only when an enabled endpoint subscribes to it (a company without endpoints
 *   pays nothing but one index probe).
 * - `webhook_deliveries`: the queue, one row per event and endpoint, written with the event.
 *   Claimed with FOR UPDATE SKIP LOCKED and a lease (next_attempt_at moved forward), so
 *   several server processes share it.
 * - `webhook_attempts`: the delivery log, one row per HTTP attempt (first 1 KB of the answer).
 *
 * Never edit once landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`
		CREATE TABLE webhook_endpoints (
			id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
			company_id integer REFERENCES companies(id) ON DELETE CASCADE,
			url text NOT NULL CHECK (length(url) <= 2000),
			description text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
			events text[] NOT NULL,
			secret_sealed text NOT NULL,
			previous_secret_sealed text,
			previous_secret_until timestamptz,
			enabled boolean NOT NULL DEFAULT true,
			disabled_reason text CHECK (disabled_reason IN ('manual', 'gone', 'failing')),
			disabled_at timestamptz,
			failing_since timestamptz,
			created_at timestamptz NOT NULL DEFAULT now()
		)`.execute(db);
	await sql`CREATE INDEX webhook_endpoints_company ON webhook_endpoints (company_id)`.execute(db);

	await sql`
		CREATE TABLE webhook_events (
			id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
			company_id integer,
			type text NOT NULL,
			data jsonb NOT NULL,
			created_at timestamptz NOT NULL DEFAULT now()
		)`.execute(db);
	await sql`CREATE INDEX webhook_events_created ON webhook_events (created_at)`.execute(db);

	await sql`
		CREATE TABLE webhook_deliveries (
			id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
			event_id uuid NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
			endpoint_id uuid NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
			status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
			attempts integer NOT NULL DEFAULT 0,
			next_attempt_at timestamptz NOT NULL DEFAULT now(),
			created_at timestamptz NOT NULL DEFAULT now(),
			delivered_at timestamptz,
			UNIQUE (event_id, endpoint_id)
		)`.execute(db);
	await sql`
		CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id)
		WHERE status = 'pending'`.execute(db);
	await sql`CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id)`.execute(
		db
	);

	await sql`
		CREATE TABLE webhook_attempts (
			id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
			delivery_id bigint NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
			endpoint_id uuid NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
			attempted_at timestamptz NOT NULL DEFAULT now(),
			status_code integer,
			duration_ms integer NOT NULL,
			response_head text,
			error text
		)`.execute(db);
	await sql`CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, id)`.execute(
		db
	);
	await sql`CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DROP TABLE IF EXISTS webhook_attempts`.execute(db);
	await sql`DROP TABLE IF EXISTS webhook_deliveries`.execute(db);
	await sql`DROP TABLE IF EXISTS webhook_events`.execute(db);
	await sql`DROP TABLE IF EXISTS webhook_endpoints`.execute(db);
}
