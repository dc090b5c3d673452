import type { Kysely } from 'kysely';
import {
	SESSION_COOKIE,
	sessionCookieOptions,
	validateSessionToken,
	type SessionUser,
	type ValidSession
} from '../auth/session';
import { terminalFromCookies, type TerminalPrincipal } from '../auth/terminal';
import type { Database } from '../db/types';
import type { CookieJar } from './cookie-jar';

export interface Principal {
	user: SessionUser | null;
	session: ValidSession | null;
	terminal: TerminalPrincipal | null;
}

/**
 * Who is calling: a paired terminal's credential (its own cookie) and a signed-in user's
 * session. A session whose sliding expiry moved gets its cookie again; an unknown or expired
 * credential's cookie is deleted. The hooks and the sync fast path both call this.
 */
export async function authenticate(
	db: Kysely<Database>,
	cookies: CookieJar,
	url: URL
): Promise<Principal> {
	const principal: Principal = {
		user: null,
		session: null,
		terminal: await terminalFromCookies(db, cookies)
	};
	const token = cookies.get(SESSION_COOKIE);
	if (!token) return principal;
	const result = await validateSessionToken(db, token);
	if (!result) {
		cookies.delete(SESSION_COOKIE, { path: '/' });
		return principal;
	}
	principal.user = result.user;
	principal.session = result.session;
	// The cookie carries the session's expiry: sent again only when that moved.
	if (result.renewed) {
		cookies.set(SESSION_COOKIE, token, sessionCookieOptions(url, result.session.expiresAt));
	}
	return principal;
}
