import { type Kysely, sql } from 'kysely';

/**
 * Partial refunds (issue 20, SPEC C13): a payment may have several refunds, never more than
 * its amount in total (server/repositories/refunds.ts checks that under the payment row's lock).
 *
 * 0008 held every refund to one ID per payment, `operation_refund_id(reverses_id)`. The n-th
 * refund of a payment now gets `operation_refund_id(reverses_id, n)` — the first one the same
 * ID as before (the same formula, written out again so that this function needs nothing of 0008), so existing refunds and a full refund keep theirs, and two refunds racing for
 * the same n still meet the primary key. The CHECK keeps what partitioning needs: a refund's
 * ID begins with its payment's 48 time bits (the same yearly partition).
 *
 * Never edit once landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`CREATE FUNCTION operation_refund_id(payment_id uuid, seq integer) RETURNS uuid
		LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
			SELECT (left(replace(payment_id::text, '-', ''), 12) || '7' || substr(h, 1, 3)
				|| substr('89ab', (get_byte(decode(substr(h, 4, 2), 'hex'), 0) % 4) + 1, 1)
				|| substr(h, 6, 15))::uuid
			FROM (SELECT md5(CASE WHEN seq = 1 THEN 'kopek refund of ' || payment_id::text
				ELSE 'kopek refund ' || seq::text || ' of ' || payment_id::text END) AS h) AS digest
		$$`.execute(db);
	// Only where 0008 made it (a database migrated out of order meets 0008's own CHECK later).
	const { rows } = await sql<{ n: number }>`select count(*)::int4 as n from pg_constraint
		where conrelid = to_regclass('operations') and conname = 'operations_refund_id_check'`.execute(db);
	if (rows[0]?.n) {
		await sql`ALTER TABLE operations DROP CONSTRAINT operations_refund_id_check`.execute(db);
		await sql`ALTER TABLE operations ADD CONSTRAINT operations_refund_id_check
			CHECK (kind <> 'refund' OR left(id::text, 13) = left(reverses_id::text, 13))`.execute(db);
	}
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE operations DROP CONSTRAINT operations_refund_id_check`.execute(db);
	await sql`ALTER TABLE operations ADD CONSTRAINT operations_refund_id_check
		CHECK (kind <> 'refund' OR id = operation_refund_id(reverses_id))`.execute(db);
	await sql`DROP FUNCTION operation_refund_id(uuid, integer)`.execute(db);
}
