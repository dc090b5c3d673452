import { recordEvent } from './webhook-outbox';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, RevokeMode } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/** Stores a new pairing code (its hash only) for a terminal-to-be of a company. */
export async function insertPairingCode(
	db: Db,
	input: {
		codeHash: string;
		companyId: number;
		name: string;
		createdBy: string | null;
		expiresAt: Date;
	}
): Promise<void> {
	await db
		.insertInto('pairing_codes')
		.values({
			code_hash: input.codeHash,
			company_id: input.companyId,
			name: input.name,
			created_by: input.createdBy,
			expires_at: input.expiresAt
		})
		.execute();
}

/**
 * Uses a pairing code at most once: marks it used when it is unused and unexpired at `now`,
 * and returns its company and terminal name; null otherwise. The row lock of the UPDATE makes
 * two concurrent uses of one code take turns, and the second finds it used.
 */
export async function consumePairingCode(
	trx: Transaction<Database>,
	codeHash: string,
	now: Date
): Promise<{ companyId: number; name: string; companyName: string } | null> {
	const row = await trx
		.updateTable('pairing_codes')
		.set({ used_at: now })
		.where('code_hash', '=', codeHash)
		.where('used_at', 'is', null)
		.where('expires_at', '>', now)
		.returning(['company_id', 'name'])
		.executeTakeFirst();
	if (!row) return null;
	const company = await trx
		.selectFrom('companies')
		.select('name')
		.where('id', '=', row.company_id)
		.executeTakeFirstOrThrow();
	return { companyId: row.company_id, name: row.name, companyName: company.name };
}

/** The terminal a code paired, recorded on the code for the cabinet's history. */
export async function linkPairingCode(
	trx: Transaction<Database>,
	codeHash: string,
	deviceId: string
): Promise<void> {
	await trx
		.updateTable('pairing_codes')
		.set({ device_id: deviceId })
		.where('code_hash', '=', codeHash)
		.execute();
}

/** A paired terminal: a device row holding the hash of its credential. */
export async function insertPairedDevice(
	trx: Transaction<Database>,
	input: { companyId: number; name: string; credentialHash: string; now: Date }
): Promise<{ id: string; name: string }> {
	return trx
		.insertInto('devices')
		.values({
			company_id: input.companyId,
			name: input.name,
			credential_hash: input.credentialHash,
			paired_at: input.now
		})
		.returning(['id', 'name'])
		.executeTakeFirstOrThrow();
}

/** Serialises every pairing attempt (rare: an admin's action) so the throttle counts exactly. */
export async function lockPairing(trx: Transaction<Database>): Promise<void> {
	await sql`select pg_advisory_xact_lock(hashtext('kopek_pairing'))`.execute(trx);
}

/** Distinct wrong codes an address tried since `since` (one wrong code repeated counts once). */
export async function countPairingFailures(db: Db, ip: string, since: Date): Promise<number> {
	const row = await db
		.selectFrom('pairing_attempts')
		.select(sql<number>`count(distinct coalesce(code_hash, id::text))`.as('n'))
		.where('ip', '=', ip)
		.where('succeeded', '=', false)
		.where('attempted_at', '>', since)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** Distinct wrong codes tried since `since` by addresses already past their own limit. */
export async function countPooledPairingFailures(db: Db, since: Date): Promise<number> {
	const row = await db
		.selectFrom('pairing_attempts')
		.select(sql<number>`count(distinct (ip, coalesce(code_hash, id::text)))`.as('n'))
		.where('pooled', '=', true)
		.where('succeeded', '=', false)
		.where('attempted_at', '>', since)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export async function recordPairingAttempt(
	db: Db,
	input: { ip: string; succeeded: boolean; now: Date; codeHash?: string; pooled?: boolean }
): Promise<void> {
	await db
		.insertInto('pairing_attempts')
		.values({
			ip: input.ip,
			succeeded: input.succeeded,
			attempted_at: input.now,
			code_hash: input.codeHash ?? null,
			pooled: input.pooled ?? false
		})
		.execute();
}

/**
 * Revokes a terminal of a company (once: a second revocation keeps the first time and mode).
 * Returns false when the company has no such device.
 */
export async function revokeDevice(
	db: Db,
	input: { companyId: number; deviceId: string; mode: RevokeMode; now: Date }
): Promise<boolean> {
	const device = await db
		.selectFrom('devices')
		.select('id')
		.where('id', '=', input.deviceId)
		.where('company_id', '=', input.companyId)
		.executeTakeFirst();
	if (!device) return false;
	const revoked = await db
		.updateTable('devices')
		.set({ revoked_at: input.now, revoke_mode: input.mode })
		.where('id', '=', input.deviceId)
		.where('revoked_at', 'is', null)
		.returning('id')
		.executeTakeFirst();
	// The webhook outbox (SPEC C14): with the revocation, when `db` is a transaction.
	if (revoked)
		await recordEvent(db, {
			companyId: input.companyId,
			type: 'terminal.revoked',
			data: {
				companyId: input.companyId,
				deviceId: input.deviceId,
				mode: input.mode,
				revokedAt: input.now.toISOString()
			}
		});
	return true;
}

/** A company's pairing codes still usable at `now`, newest first (the code itself is not kept). */
export async function listOpenPairingCodes(db: Db, companyId: number, now: Date) {
	return db
		.selectFrom('pairing_codes')
		.select(['name', 'created_at as createdAt', 'expires_at as expiresAt'])
		.where('company_id', '=', companyId)
		.where('used_at', 'is', null)
		.where('expires_at', '>', now)
		.orderBy('created_at', 'desc')
		.execute();
}
