import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/** A key as the cabinet lists it: never its secret or hash. */
export interface IntegrationKeyRow {
	id: string;
	name: string;
	prefix: string;
	deviceId: string;
	deviceName: string;
	boundToTerminal: boolean;
	createdAt: Date;
	lastUsedAt: Date | null;
	revokedAt: Date | null;
}

export async function insertIntegrationKey(
	db: Db,
	input: {
		companyId: number;
		deviceId: string;
		name: string;
		secretHash: string;
		prefix: string;
		boundToTerminal: boolean;
		createdBy: string | null;
	}
): Promise<{ id: string; createdAt: Date }> {
	const row = await db
		.insertInto('integration_keys')
		.values({
			company_id: input.companyId,
			device_id: input.deviceId,
			name: input.name,
			secret_hash: input.secretHash,
			prefix: input.prefix,
			bound_to_terminal: input.boundToTerminal,
			created_by: input.createdBy
		})
		.returning(['id', 'created_at'])
		.executeTakeFirstOrThrow();
	return { id: row.id, createdAt: new Date(row.created_at) };
}

/** A company's keys, newest first. */
export async function listIntegrationKeys(db: Db, companyId: number): Promise<IntegrationKeyRow[]> {
	const rows = await db
		.selectFrom('integration_keys as k')
		.innerJoin('devices as d', 'd.id', 'k.device_id')
		.select([
			'k.id',
			'k.name',
			'k.prefix',
			'k.device_id as deviceId',
			'd.name as deviceName',
			'k.bound_to_terminal as boundToTerminal',
			'k.created_at as createdAt',
			'k.last_used_at as lastUsedAt',
			'k.revoked_at as revokedAt'
		])
		.where('k.company_id', '=', companyId)
		.orderBy('k.created_at', 'desc')
		.execute();
	return rows.map((r) => ({
		...r,
		createdAt: new Date(r.createdAt),
		lastUsedAt: r.lastUsedAt ? new Date(r.lastUsedAt) : null,
		revokedAt: r.revokedAt ? new Date(r.revokedAt) : null
	}));
}

/** Marks a key of this company revoked; false when it is not the company's or already revoked. */
export async function markRevoked(
	db: Db,
	input: { companyId: number; keyId: string; userId: string | null }
): Promise<{ name: string; revokedAt: Date } | null> {
	const row = await db
		.updateTable('integration_keys')
		.set({ revoked_at: sql<Date>`now()`, revoked_by: input.userId })
		.where('id', '=', input.keyId)
		.where('company_id', '=', input.companyId)
		.where('revoked_at', 'is', null)
		.returning(['name', 'revoked_at as revokedAt'])
		.executeTakeFirst();
	return row ? { name: row.name, revokedAt: new Date(row.revokedAt as Date) } : null;
}

/** Records a use, at most once a minute per key (no write on every call). */
export async function touchKey(db: Db, keyId: string): Promise<void> {
	await db
		.updateTable('integration_keys')
		.set({ last_used_at: sql<Date>`now()` })
		.where('id', '=', keyId)
		.where((eb) =>
			eb.or([
				eb('last_used_at', 'is', null),
				eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)
			])
		)
		.execute();
}
