import { type Kysely, sql } from 'kysely';

/**
 * Password recovery (issue 19, item 2):
 *
 * - `password_reset_tokens`: one row per reset link sent. `id` is the SHA-256 (hex) of the
 *   link's token, never the token itself, so a leaked table opens no account. A link is used
 *   by deleting its row (one DELETE … RETURNING: of two uses at once exactly one gets it) and
 *   dies at `expires_at` (an hour after it was sent). Rows go with their user.
 * - two more `rate_events` scopes for the requests' limits: per client address and per
 *   e-mail. The scope CHECK is rebuilt from the constraint in place, not from a list written
 *   here, so that a scope another migration added survives this one.
 *
 * Never edit once landed.
 */
const RESET_SCOPES = ['password_reset_address', 'password_reset_email'];

/** The scopes the rate_events CHECK allows now (read from the constraint itself). */
async function currentScopes(db: Kysely<unknown>): Promise<string[]> {
	const { rows } = await sql<{ def: string }>`
		select pg_get_constraintdef(c.oid) as def from pg_constraint c
		where c.conrelid = 'rate_events'::regclass and c.conname = 'rate_events_scope_check'`.execute(db);
	const def = rows[0]?.def ?? '';
	return [...def.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
}

async function setScopes(db: Kysely<unknown>, scopes: string[]): Promise<void> {
	const list = sql.join(scopes.map((s) => sql.lit(s)));
	await sql`ALTER TABLE rate_events DROP CONSTRAINT IF EXISTS rate_events_scope_check`.execute(db);
	await sql`ALTER TABLE rate_events ADD CONSTRAINT rate_events_scope_check CHECK (scope IN (${list}))`.execute(
		db
	);
}

export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`CREATE TABLE password_reset_tokens (
		id text PRIMARY KEY,
		user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
		created_at timestamptz NOT NULL DEFAULT now(),
		expires_at timestamptz NOT NULL
	)`.execute(db);
	await sql`CREATE INDEX password_reset_tokens_user_idx ON password_reset_tokens (user_id)`.execute(
		db
	);
	const scopes = await currentScopes(db);
	await setScopes(db, [...new Set([...scopes, ...RESET_SCOPES])]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DELETE FROM rate_events WHERE scope IN (${sql.join(RESET_SCOPES)})`.execute(db);
	const scopes = await currentScopes(db);
	await setScopes(
		db,
		scopes.filter((s) => !RESET_SCOPES.includes(s))
	);
	await sql`DROP TABLE IF EXISTS password_reset_tokens`.execute(db);
}
