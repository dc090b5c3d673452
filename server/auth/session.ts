import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database, Locale, Role } from '../db/types';

/** A session slides by this much on use... */
export const SESSION_IDLE_MS = 1000 * 60 * 60 * 24 * 30;
/** ...but never past this age from login. */
export const SESSION_ABSOLUTE_MS = 1000 * 60 * 60 * 24 * 90;
/** Extend only when less than this is left, so a busy counter does not write on every request. */
const RENEW_THRESHOLD_MS = 1000 * 60 * 60 * 24 * 15;

export const SESSION_COOKIE = 'kopek_session';

export interface SessionUser {
	id: string;
	email: string;
	role: Role;
	locale: Locale;
	companyId: number | null;
	partnerId: number | null;
	customerId: string | null;
}

export interface ValidSession {
	id: string;
	expiresAt: Date;
}

/** 160 random bits, base32: the token lives only in the cookie. */
export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

/** The database keeps only SHA-256(token), so a leaked table cannot be replayed. */
export function sessionIdFromToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** Creates a fresh session for a login; the caller sets the cookie with the returned token. */
export async function createSession(
	db: Kysely<Database>,
	userId: string,
	meta: { ip?: string | null; userAgent?: string | null } = {},
	now = new Date()
): Promise<{ token: string; expiresAt: Date }> {
	const token = generateSessionToken();
	const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
	await db
		.insertInto('sessions')
		.values({
			id: sessionIdFromToken(token),
			user_id: userId,
			expires_at: expiresAt,
			absolute_expires_at: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
			ip: meta.ip ?? null,
			user_agent: meta.userAgent?.slice(0, 400) ?? null
		})
		.execute();
	return { token, expiresAt };
}

interface SessionRow {
	session_id: string;
	expires_at: Date;
	absolute_expires_at: Date;
	user_id: string;
	email: string;
	role: Role;
	locale: Locale;
	company_id: number | null;
	partner_id: number | null;
	customer_id: string | null;
}

/**
 * The session check of every request: the session with its user, one indexed lookup (the
 * sessions primary key, then the users primary key). Its SQL is built once per process, not
 * by the query builder on each request.
 */
const SESSION_LOOKUP = {
	sql: `select s.id as session_id, s.expires_at, s.absolute_expires_at, u.id as user_id,
		u.email, u.role, u.locale, u.company_id, u.partner_id, u.customer_id
		from sessions s join users u on u.id = s.user_id where s.id = $1`,
	bind(id: string): CompiledQuery<SessionRow> {
		return CompiledQuery.raw(this.sql, [id]) as CompiledQuery<SessionRow>;
	}
};

/**
 * Checks a cookie token. Expired sessions are deleted; a live one slides forward (capped by
 * the absolute expiry) when less than RENEW_THRESHOLD_MS is left, so a session is written at
 * most once per 15 days however busy it is; `renewed` tells the caller to send the cookie
 * again with the new expiry. Returns null for anything unknown.
 */
export async function validateSessionToken(
	db: Kysely<Database>,
	token: string,
	now = new Date()
): Promise<{ session: ValidSession; user: SessionUser; renewed: boolean } | null> {
	if (!/^[a-z2-7]{16,64}$/.test(token)) return null;
	const id = sessionIdFromToken(token);
	const { rows } = await db.executeQuery(SESSION_LOOKUP.bind(id));
	const row = rows[0];
	if (!row) return null;
	const nowMs = now.getTime();
	if (nowMs >= row.expires_at.getTime() || nowMs >= row.absolute_expires_at.getTime()) {
		await db.deleteFrom('sessions').where('id', '=', id).execute();
		return null;
	}
	let expiresAt = row.expires_at;
	const renewed = row.expires_at.getTime() - nowMs < RENEW_THRESHOLD_MS;
	if (renewed) {
		expiresAt = new Date(Math.min(nowMs + SESSION_IDLE_MS, row.absolute_expires_at.getTime()));
		await db.updateTable('sessions').set({ expires_at: expiresAt }).where('id', '=', id).execute();
	}
	return {
		renewed,
		session: { id, expiresAt },
		user: {
			id: row.user_id,
			email: row.email,
			role: row.role,
			locale: row.locale,
			companyId: row.company_id,
			partnerId: row.partner_id,
			customerId: row.customer_id
		}
	};
}

/** Logout: the session row is gone, so the token is dead even if the cookie survives. */
export async function invalidateSession(db: Kysely<Database>, sessionId: string): Promise<void> {
	await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** After a password change: every session of the user but the one making the change. */
export async function invalidateOtherSessions(
	db: Kysely<Database>,
	userId: string,
	keepSessionId: string | null
): Promise<void> {
	await db
		.deleteFrom('sessions')
		.where('user_id', '=', userId)
		.$if(keepSessionId !== null, (q) => q.where('id', '<>', keepSessionId as string))
		.execute();
}

/** Cookie attributes: HttpOnly, SameSite=Lax, Path=/, and Secure unless served from localhost. */
export function sessionCookieOptions(url: URL, expiresAt: Date) {
	return {
		httpOnly: true,
		sameSite: 'lax' as const,
		path: '/',
		secure: !isLocalhost(url),
		expires: expiresAt
	};
}

/**
 * Whether a session cookie set for this request is lost: it is `Secure` away from localhost,
 * and browsers refuse to store a Secure cookie that comes over plain http (a shop server
 * opened as http://192.168.1.10:3000). The login then "succeeds" and lands back on the form;
 * the public pages say why instead (src/lib/components/InsecureConnection.svelte).
 * `url` is the request's as the app sees it: ORIGIN when set, else the connection's.
 */
export function sessionCookieRefused(url: URL): boolean {
	return url.protocol === 'http:' && !isLocalhost(url);
}

export function isLocalhost(url: URL): boolean {
	return (
		url.hostname === 'localhost' ||
		url.hostname === '127.0.0.1' ||
		url.hostname === '[::1]' ||
		url.hostname.endsWith('.localhost')
	);
}
