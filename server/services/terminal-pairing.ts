import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { Kysely } from 'kysely';
import { generatePairingCode, normalizePairingCode } from '../../src/lib/domain/pairing-code';
import { generateTerminalToken } from '../auth/terminal';
import type { Database } from '../db/types';
import * as terminals from '../repositories/terminals';

/** How long a pairing code may be used. */
export const PAIRING_CODE_TTL_MS = 15 * 60 * 1000;
/** Failed pairings an address may make in the window before it must wait. */
export const MAX_PAIRING_FAILURES = 10;
export const PAIRING_WINDOW_MS = 15 * 60 * 1000;

function hashCode(code: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(code)));
}

/** A new one-time code for a terminal-to-be named `name`; only its hash is stored. */
export async function createPairingCode(
	db: Kysely<Database>,
	input: { companyId: number; name: string; createdBy: string | null; now: Date }
): Promise<{ code: string; expiresAt: Date }> {
	const code = generatePairingCode();
	const expiresAt = new Date(input.now.getTime() + PAIRING_CODE_TTL_MS);
	await terminals.insertPairingCode(db, {
		codeHash: hashCode(code),
		companyId: input.companyId,
		name: input.name,
		createdBy: input.createdBy,
		expiresAt
	});
	return { code, expiresAt };
}

export type PairOutcome =
	| { ok: true; deviceId: string; name: string; companyName: string; token: string }
	| { ok: false; error: 'invalid_code' }
	| { ok: false; error: 'throttled'; retryAfterSeconds: number };

/**
 * Turns a tablet into a terminal of the code's company: the code is used at most once and
 * only before it expires; the terminal's credential token is returned once (the caller puts
 * it in the cookie) and only its hash is stored. Failures count per address in Postgres, so
 * the limit holds across processes; an address past the limit is refused before any lookup.
 */
export async function pairTerminal(
	db: Kysely<Database>,
	input: { code: string; ip: string; now: Date }
): Promise<PairOutcome> {
	const since = new Date(input.now.getTime() - PAIRING_WINDOW_MS);
	const failures = await terminals.countPairingFailures(db, input.ip, since);
	if (failures >= MAX_PAIRING_FAILURES) {
		return { ok: false, error: 'throttled', retryAfterSeconds: PAIRING_WINDOW_MS / 1000 };
	}
	const code = normalizePairingCode(input.code);
	const outcome = code
		? await db.transaction().execute(async (trx) => {
				const codeHash = hashCode(code);
				const found = await terminals.consumePairingCode(trx, codeHash, input.now);
				if (!found) return null;
				const credential = generateTerminalToken();
				const device = await terminals.insertPairedDevice(trx, {
					companyId: found.companyId,
					name: found.name,
					credentialHash: credential.hash,
					now: input.now
				});
				await terminals.linkPairingCode(trx, codeHash, device.id);
				return { device, companyName: found.companyName, token: credential.token };
			})
		: null;
	await terminals.recordPairingAttempt(db, { ip: input.ip, succeeded: !!outcome, now: input.now });
	if (!outcome) return { ok: false, error: 'invalid_code' };
	return {
		ok: true,
		deviceId: outcome.device.id,
		name: outcome.device.name,
		companyName: outcome.companyName,
		token: outcome.token
	};
}
