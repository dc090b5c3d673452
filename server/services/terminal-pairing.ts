import { recordEvent } from '../repositories/webhook-outbox';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { Kysely } from 'kysely';
import { generatePairingCode, normalizePairingCode } from '../../src/lib/domain/pairing-code';
import { generateTerminalToken } from '../auth/terminal';
import type { Database } from '../db/types';
import * as terminals from '../repositories/terminals';

/** How long a pairing code may be used. */
export const PAIRING_CODE_TTL_MS = 15 * 60 * 1000;
/** Distinct wrong codes an address may try in the window on its own allowance. */
export const MAX_PAIRING_FAILURES = 10;
/**
 * Distinct wrong codes that all addresses past their own allowance may try together in the
 * window (the platform-wide throttle); once it is spent they are refused unchecked.
 */
export const MAX_POOLED_PAIRING_FAILURES = 100;
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
 * it in the cookie) and only its hash is stored.
 *
 * The throttle keeps out guessers, not shops (README, «Abuse limits»): wrong codes count per
 * address and per code (one wrong code retyped counts once; a malformed one, which cannot be
 * right, not at all). An address past MAX_PAIRING_FAILURES still has its codes checked — so a
 * freshly made valid code pairs from a shop's NAT after its typos — but each further wrong
 * code it tries is drawn from a platform-wide pool (MAX_POOLED_PAIRING_FAILURES per window);
 * with the pool spent, such addresses are refused before any lookup. Counted in Postgres under
 * one lock, so the limits hold exactly across processes and concurrent attempts.
 */
export async function pairTerminal(
	db: Kysely<Database>,
	input: { code: string; ip: string; now: Date }
): Promise<PairOutcome> {
	const code = normalizePairingCode(input.code);
	if (!code) return { ok: false, error: 'invalid_code' };
	const codeHash = hashCode(code);
	const since = new Date(input.now.getTime() - PAIRING_WINDOW_MS);
	const outcome = await db.transaction().execute(async (trx) => {
		await terminals.lockPairing(trx);
		const pooled =
			(await terminals.countPairingFailures(trx, input.ip, since)) >= MAX_PAIRING_FAILURES;
		if (
			pooled &&
			(await terminals.countPooledPairingFailures(trx, since)) >= MAX_POOLED_PAIRING_FAILURES
		)
			return 'throttled' as const;
		const found = await terminals.consumePairingCode(trx, codeHash, input.now);
		if (!found) {
			await terminals.recordPairingAttempt(trx, {
				ip: input.ip,
				succeeded: false,
				now: input.now,
				codeHash,
				pooled
			});
			return null;
		}
		const credential = generateTerminalToken();
		const device = await terminals.insertPairedDevice(trx, {
			companyId: found.companyId,
			name: found.name,
			credentialHash: credential.hash,
			now: input.now
		});
		await terminals.linkPairingCode(trx, codeHash, device.id);
		await recordEvent(trx, {
			companyId: found.companyId,
			type: 'terminal.paired',
			data: {
				companyId: found.companyId,
				deviceId: device.id,
				name: found.name,
				pairedAt: input.now.toISOString()
			}
		});
		await terminals.recordPairingAttempt(trx, { ip: input.ip, succeeded: true, now: input.now });
		return { device, companyName: found.companyName, token: credential.token };
	});
	if (outcome === 'throttled')
		return { ok: false, error: 'throttled', retryAfterSeconds: PAIRING_WINDOW_MS / 1000 };
	if (!outcome) return { ok: false, error: 'invalid_code' };
	return {
		ok: true,
		deviceId: outcome.device.id,
		name: outcome.device.name,
		companyName: outcome.companyName,
		token: outcome.token
	};
}
