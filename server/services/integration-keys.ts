import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/types';
import { getDeviceOfCompany, insertDevice } from '../repositories/devices';
import { checkKey } from '../repositories/api-callers';
import type { RedemptionContext } from '../repositories/redemptions';
import * as keys from '../repositories/integration-keys';
import { recordEvent } from '../repositories/webhook-outbox';

/** Every key's secret begins so (a secret scanner can find a leaked one). */
export const KEY_PREFIX = 'kpk_';
/** Random bytes behind each secret (base64url, 43 characters). */
const SECRET_BYTES = 32;

export function hashSecret(secret: string): string {
	return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export type CreateKeyOutcome =
	| { ok: true; key: { id: string; name: string; prefix: string; secret: string } }
	| { ok: false; error: 'unknown_terminal' };

/**
 * A new integration key of the company (SPEC C13, «Интеграции»): its secret is answered once
 * and only its SHA-256 is stored. Bound to one of the company's terminals, the till's sales are
 * that terminal's; unbound, the key gets a device of its own («API: name»), so every sale has a
 * device as at the counter.
 */
export async function createIntegrationKey(
	db: Kysely<Database>,
	input: { companyId: number; name: string; terminalId: string | null; userId: string | null }
): Promise<CreateKeyOutcome> {
	const secret = KEY_PREFIX + randomBytes(SECRET_BYTES).toString('base64url');
	return db.transaction().execute(async (trx): Promise<CreateKeyOutcome> => {
		let deviceId: string;
		if (input.terminalId) {
			const device = await getDeviceOfCompany(trx, input.companyId, input.terminalId);
			if (!device || device.revoked_at) return { ok: false, error: 'unknown_terminal' };
			deviceId = device.id;
		} else {
			deviceId = (
				await insertDevice(trx, { companyId: input.companyId, name: `API: ${input.name}` })
			).id;
		}
		const prefix = secret.slice(0, KEY_PREFIX.length + 6);
		const { id } = await keys.insertIntegrationKey(trx, {
			companyId: input.companyId,
			deviceId,
			name: input.name,
			secretHash: hashSecret(secret),
			prefix,
			boundToTerminal: input.terminalId !== null,
			createdBy: input.userId
		});
		return { ok: true, key: { id, name: input.name, prefix, secret } };
	});
}

/**
 * Revokes a key of the company: refused at once (the next call with it is a 401). The
 * `integration_key.revoked` webhook event is written in the same transaction.
 */
export async function revokeIntegrationKey(
	db: Kysely<Database>,
	input: { companyId: number; keyId: string; userId: string | null }
): Promise<{ ok: boolean }> {
	return db.transaction().execute(async (trx) => {
		const revoked = await keys.markRevoked(trx, input);
		if (!revoked) return { ok: false };
		// The webhook outbox (SPEC C14), in this transaction.
		await recordEvent(trx, {
			companyId: input.companyId,
			type: 'integration_key.revoked',
			data: {
				companyId: input.companyId,
				keyId: input.keyId,
				name: revoked.name,
				revokedAt: revoked.revokedAt.toISOString()
			}
		});
		return { ok: true };
	});
}

export interface ApiPrincipal {
	keyId: string;
	companyId: number;
	deviceId: string;
}

const BEARER = /^Bearer\s+(kpk_[A-Za-z0-9_-]{20,100})\s*$/;

/** The SHA-256 of the key's secret in `Authorization: Bearer kpk_…`, or null when malformed. */
export function bearerSecretHash(authorization: string | null): string | null {
	const match = BEARER.exec(authorization ?? '');
	return match ? hashSecret(match[1]!) : null;
}

/** Records a use, at most once a minute per key (no write on every call). */
async function touchIfStale(
	db: Kysely<Database>,
	key: { id: string; lastUsedAt: Date | string | null }
): Promise<void> {
	const lastUsed = key.lastUsedAt ? new Date(key.lastUsedAt).getTime() : 0;
	if (Date.now() - lastUsed > 60_000) await keys.touchKey(db, key.id);
}

/**
 * The caller behind `Authorization: Bearer kpk_…` for /api/v1, checked before the request's
 * body is read — from the database on every call (nothing cached: a revoked key is refused at
 * once on every instance), concurrent requests in one statement; null when unknown, revoked,
 * bound to a revoked terminal or malformed. `quoteAt`: a quote's moment, whose context (the
 * company's status and rate then) is read in the same statement.
 */
export async function checkCaller(
	db: Kysely<Database>,
	authorization: string | null,
	quoteAt: Date | null
): Promise<{ who: ApiPrincipal; quoteContext: RedemptionContext | null } | null> {
	const secretHash = bearerSecretHash(authorization);
	if (!secretHash) return null;
	const found = await checkKey(db, { secretHash, quoteAt });
	if (!found) return null;
	await touchIfStale(db, found.key);
	const { id, companyId, deviceId } = found.key;
	return { who: { keyId: id, companyId, deviceId }, quoteContext: found.quoteContext };
}

export const listIntegrationKeys = keys.listIntegrationKeys;
