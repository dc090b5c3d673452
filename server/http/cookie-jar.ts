/**
 * The cookies of one request outside SvelteKit (the sync fast path, server/http/fast-sync.ts):
 * read from the Cookie header, set and deleted as Set-Cookie headers, with SvelteKit's
 * defaults (httpOnly, SameSite=Lax, Secure but on http://localhost) so both paths send the
 * same cookies.
 */
export interface CookieSetOptions {
	path: string;
	httpOnly?: boolean;
	secure?: boolean;
	sameSite?: 'lax' | 'strict' | 'none';
	expires?: Date;
	maxAge?: number;
	domain?: string;
}

/** What the hooks and the tRPC endpoint use of SvelteKit's `event.cookies`. */
export interface CookieJar {
	get(name: string): string | undefined;
	set(name: string, value: string, options: CookieSetOptions): void;
	delete(name: string, options: { path: string }): void;
}

function serialize(name: string, value: string, options: CookieSetOptions, url: URL): string {
	const secure = options.secure ?? !(url.hostname === 'localhost' && url.protocol === 'http:');
	const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${options.path}`];
	if (options.domain) parts.push(`Domain=${options.domain}`);
	if (options.expires) parts.push(`Expires=${options.expires.toUTCString()}`);
	if (options.maxAge !== undefined) parts.push(`Max-Age=${Math.floor(options.maxAge)}`);
	if (options.httpOnly ?? true) parts.push('HttpOnly');
	if (secure) parts.push('Secure');
	const sameSite = options.sameSite ?? 'lax';
	parts.push(`SameSite=${sameSite[0]!.toUpperCase()}${sameSite.slice(1)}`);
	return parts.join('; ');
}

/** A jar over one request's Cookie header; `setCookieHeaders()` is what to answer with. */
export function requestCookieJar(
	header: string | null,
	url: URL
): CookieJar & { setCookieHeaders(): string[] } {
	const values = new Map<string, string>();
	for (const pair of (header ?? '').split(';')) {
		const at = pair.indexOf('=');
		if (at <= 0) continue;
		const name = pair.slice(0, at).trim();
		if (values.has(name)) continue; // the first one wins, as in SvelteKit
		const raw = pair.slice(at + 1).trim();
		try {
			values.set(name, decodeURIComponent(raw));
		} catch {
			values.set(name, raw);
		}
	}
	const outgoing = new Map<string, string>();
	return {
		get: (name) => values.get(name),
		set(name, value, options) {
			values.set(name, value);
			outgoing.set(name, serialize(name, value, options, url));
		},
		delete(name, options) {
			values.delete(name);
			outgoing.set(name, serialize(name, '', { ...options, expires: new Date(0), maxAge: 0 }, url));
		},
		setCookieHeaders: () => [...outgoing.values()]
	};
}
