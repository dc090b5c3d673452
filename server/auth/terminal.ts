import type { Kysely } from 'kysely';
import type { Database, RevokeMode } from '../db/types';
import { generateSessionToken, isLocalhost, sessionIdFromToken } from './session';

/**
 * Terminal credentials (SPEC C10): a paired counter tablet holds its own cookie with a
 * 160-bit random token; the database keeps only its SHA-256 (devices.credential_hash). The
 * credential is bound to one device of one company and never expires by itself: a counter
 * must keep working after weeks offline. Only the admin's revocation ends it.
 */
export const TERMINAL_COOKIE = 'kopek_terminal';
/** The cookie's lifetime in the browser; renewed whenever the terminal is seen. */
const TERMINAL_COOKIE_MS = 1000 * 60 * 60 * 24 * 400;

/** Who a terminal credential speaks for. */
export interface TerminalPrincipal {
	deviceId: string;
	companyId: number;
	name: string;
	/** Set once the admin revoked it: when, and what happens to what it took before. */
	revoked: { at: Date; mode: RevokeMode } | null;
}

export function generateTerminalToken(): { token: string; hash: string } {
	const token = generateSessionToken();
	return { token, hash: sessionIdFromToken(token) };
}

/** The terminal of a cookie token, revoked or not; null for anything unknown. One indexed read. */
export async function resolveTerminalToken(
	db: Kysely<Database>,
	token: string
): Promise<TerminalPrincipal | null> {
	if (!/^[a-z2-7]{16,64}$/.test(token)) return null;
	const row = await db
		.selectFrom('devices')
		.select(['id', 'company_id', 'name', 'revoked_at', 'revoke_mode'])
		.where('credential_hash', '=', sessionIdFromToken(token))
		.executeTakeFirst();
	if (!row) return null;
	return {
		deviceId: row.id,
		companyId: row.company_id,
		name: row.name,
		revoked:
			row.revoked_at && row.revoke_mode ? { at: row.revoked_at, mode: row.revoke_mode } : null
	};
}

/** HttpOnly, SameSite=Lax, Path=/, Secure unless on localhost; long-lived. */
export function terminalCookieOptions(url: URL, now = new Date()) {
	return {
		httpOnly: true,
		sameSite: 'lax' as const,
		path: '/',
		secure: !isLocalhost(url),
		expires: new Date(now.getTime() + TERMINAL_COOKIE_MS)
	};
}

/**
 * The hooks' one call: resolves the terminal cookie of a request (when there is one) and
 * drops a cookie the server no longer knows. A revoked terminal keeps its cookie, so that it
 * is told `terminal_revoked` rather than treated as a stranger.
 */
export async function terminalFromCookies(
	db: Kysely<Database>,
	cookies: {
		get(name: string): string | undefined;
		delete(name: string, options: { path: string }): void;
	}
): Promise<TerminalPrincipal | null> {
	const token = cookies.get(TERMINAL_COOKIE);
	if (!token) return null;
	const terminal = await resolveTerminalToken(db, token);
	if (!terminal) cookies.delete(TERMINAL_COOKIE, { path: '/' });
	return terminal;
}
