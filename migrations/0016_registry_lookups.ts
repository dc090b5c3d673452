import { type Kysely, sql } from 'kysely';

/**
 * Self-registration looks the INN up in the state registry before anyone is signed in
 * (issue 19 item 9): one more `rate_events` scope, `registry_lookup`, holds those lookups per
 * client address (a DaData key has a daily quota). The scope CHECK is rebuilt from the
 * constraint in place, not from a list written here, so that a scope another migration added
 * survives this one.
 *
 * Never edit once landed.
 */
const SCOPES = ['registry_lookup'];

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
	await setScopes(db, [...new Set([...(await currentScopes(db)), ...SCOPES])]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DELETE FROM rate_events WHERE scope IN (${sql.join(SCOPES)})`.execute(db);
	await setScopes(
		db,
		(await currentScopes(db)).filter((s) => !SCOPES.includes(s))
	);
}
