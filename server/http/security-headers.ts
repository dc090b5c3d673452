import { readdirSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { getConfig } from '../config';
import { CSP_DIRECTIVES, type CspDirectives } from './csp.js';

/**
 * The security headers of every answer (issue 18): SvelteKit's pages carry their own
 * Content-Security-Policy (kit.csp, with the page's nonce); everything else — static files,
 * the service worker, prerendered pages, the API, the probes, the 503 page, the sync fast
 * path — gets the same directives from here. The hooks set them on SvelteKit's answers;
 * scripts/start.js sets them on every Node response before anyone writes it, so whatever
 * answers (adapter-node's static files, the fast path, a 404) carries them.
 */
export const SECURITY_HEADERS_KEY = Symbol.for('kopek.security-headers');

/** One year: what browsers' HSTS preload lists expect. */
const HSTS = 'max-age=31536000; includeSubDomains';

const QUOTED = new Set([
	'self',
	'unsafe-eval',
	'unsafe-hashes',
	'unsafe-inline',
	'none',
	'strict-dynamic',
	'report-sample',
	'wasm-unsafe-eval',
	'script'
]);

/** The header form of directives, quoted as SvelteKit quotes them; extra script sources added. */
export function cspHeader(
	directives: CspDirectives = CSP_DIRECTIVES,
	extraScriptSources: readonly string[] = []
): string {
	const entries = Object.entries(directives) as [string, string[] | boolean | undefined][];
	return entries
		.filter(([, value]) => Array.isArray(value) && value.length > 0)
		.map(([name, value]) => {
			const sources = [...(value as string[])];
			if (name === 'script-src') sources.push(...extraScriptSources);
			const quoted = sources.map((s) =>
				QUOTED.has(s) || /^(nonce|sha\d{3})-/.test(s) ? `'${s}'` : s
			);
			return [name, ...quoted].join(' ');
		})
		.join('; ');
}

/** Whether the public origin (ORIGIN) is https: only then is HSTS sent. */
export function servesHttps(origin: string | undefined = getConfig().ORIGIN): boolean {
	return origin?.startsWith('https://') ?? false;
}

/** Every header but the CSP, which depends on the answer. */
export function fixedSecurityHeaders(https = servesHttps()): Record<string, string> {
	return {
		'x-content-type-options': 'nosniff',
		'x-frame-options': 'DENY',
		'referrer-policy': 'strict-origin-when-cross-origin',
		// The camera for the QR scanner, for this origin only; nothing else of the kind.
		'permissions-policy': 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()',
		...(https ? { 'strict-transport-security': HSTS } : {})
	};
}

let defaults: Record<string, string> | undefined;

/**
 * Adds the security headers a SvelteKit answer lacks (a page's own CSP stays). Headers of a
 * fetched or redirect response are immutable: such an answer is copied.
 */
export function withSecurityHeaders(response: Response): Response {
	defaults ??= { ...fixedSecurityHeaders(), 'content-security-policy': cspHeader() };
	const missing = Object.entries(defaults).filter(([name]) => !response.headers.has(name));
	if (missing.length === 0) return response;
	try {
		for (const [name, value] of missing) response.headers.set(name, value);
		return response;
	} catch {
		const copy = new Response(response.body, response);
		for (const [name, value] of missing) copy.headers.set(name, value);
		return copy;
	}
}

/**
 * The script hashes of the prerendered pages' own policies (SvelteKit writes them into a
 * <meta> tag): the header policy sent with those pages must allow the same inline bootstrap,
 * since a browser enforces the header's policy and the meta's both.
 */
export function prerenderedScriptHashes(dir: string): string[] {
	const hashes = new Set<string>();
	let files: string[];
	try {
		files = readdirSync(dir, { recursive: true, encoding: 'utf8' });
	} catch {
		return [];
	}
	for (const file of files.filter((f) => f.endsWith('.html'))) {
		const html = readFileSync(path.join(dir, file), 'utf8');
		const meta = /<meta http-equiv="content-security-policy" content="([^"]*)"/i.exec(html);
		const scripts = /(?:^|;)\s*script-src ([^;]*)/.exec(meta?.[1] ?? '');
		for (const source of scripts?.[1]?.split(/\s+/) ?? []) {
			const hash = /^'(sha\d{3}-[^']+)'$/.exec(source);
			if (hash) hashes.add(hash[1]!);
		}
	}
	return [...hashes].sort();
}

/**
 * For scripts/start.js: a function that puts the security headers on a Node response before
 * it is written. Whoever answers then merges its own headers over them (Node's writeHead), so a
 * SvelteKit page's CSP with its nonce replaces this one.
 */
export function createNodeSecurityHeaders(prerenderedDir: string) {
	const headers = Object.entries({
		...fixedSecurityHeaders(),
		'content-security-policy': cspHeader(CSP_DIRECTIVES, prerenderedScriptHashes(prerenderedDir))
	});
	return (res: ServerResponse): void => {
		for (const [name, value] of headers) res.setHeader(name, value);
	};
}
