import { type Kysely, sql } from 'kysely';

/**
 * Issue 18 (items 5 and 8):
 * - `cashiers.refund_pin_hash`: a cashier's refund PIN (8 digits), argon2id, kept on the
 *   server only — the shift PIN's PBKDF2 verifier that terminals hold offline can no longer
 *   be cracked into a refund (server/services/counter-refund.ts);
 * - `pairing_attempts.code_hash` (SHA-256 of the wrong code, so repeating one wrong code
 *   counts once) and `pooled` (a failure of an address already past its own limit, drawn
 *   from the platform-wide pool: server/services/pairing-throttle.ts).
 * Never edit once landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE cashiers ADD COLUMN refund_pin_hash text`.execute(db);
	await sql`ALTER TABLE pairing_attempts
		ADD COLUMN code_hash text,
		ADD COLUMN pooled boolean NOT NULL DEFAULT false`.execute(db);
	await sql`CREATE INDEX pairing_attempts_pooled_idx ON pairing_attempts (attempted_at DESC)
		WHERE pooled`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DROP INDEX IF EXISTS pairing_attempts_pooled_idx`.execute(db);
	await sql`ALTER TABLE pairing_attempts DROP COLUMN IF EXISTS pooled,
		DROP COLUMN IF EXISTS code_hash`.execute(db);
	await sql`ALTER TABLE cashiers DROP COLUMN IF EXISTS refund_pin_hash`.execute(db);
}
