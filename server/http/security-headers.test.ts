import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CSP_DIRECTIVES } from './csp.js';
import {
	cspHeader,
	fixedSecurityHeaders,
	prerenderedScriptHashes,
	servesHttps,
	withSecurityHeaders
} from './security-headers';
import { unavailablePage } from './unavailable';

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('security headers (issue 18)', () => {
	it('quotes keywords and hashes as SvelteKit does; no inline scripts allowed', () => {
		const header = cspHeader(CSP_DIRECTIVES, ['sha256-abc=']);
		expect(header).toContain("script-src 'self' 'sha256-abc='");
		expect(header).toContain("frame-ancestors 'none'");
		expect(header).toContain("img-src 'self' data: blob:");
		expect(header).toContain("worker-src 'self' blob:");
		expect(/script-src [^;]*unsafe/.test(header)).toBe(false);
	});

	it('sends HSTS only when ORIGIN is https', () => {
		expect(servesHttps('https://kopek.example')).toBe(true);
		expect(servesHttps('http://shop.local:3000')).toBe(false);
		expect(servesHttps(undefined)).toBe(false);
		expect(fixedSecurityHeaders(true)['strict-transport-security']).toMatch(/^max-age=\d+/);
		expect(fixedSecurityHeaders(false)['strict-transport-security']).toBeUndefined();
		expect(fixedSecurityHeaders(false)['permissions-policy']).toContain('camera=(self)');
	});

	it('adds what an answer lacks and keeps a page’s own CSP', () => {
		const page = withSecurityHeaders(
			new Response('<p>', { headers: { 'content-security-policy': "script-src 'nonce-x'" } })
		);
		expect(page.headers.get('content-security-policy')).toBe("script-src 'nonce-x'");
		expect(page.headers.get('x-frame-options')).toBe('DENY');
		expect(page.headers.get('x-content-type-options')).toBe('nosniff');
	});

	it('covers the 503 page and immutable (redirect) answers', () => {
		const down = withSecurityHeaders(unavailablePage());
		expect(down.status).toBe(503);
		expect(down.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
		const moved = withSecurityHeaders(Response.redirect('http://localhost/login', 303));
		expect(moved.status).toBe(303);
		expect(moved.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
	});

	it('reads the script hashes of the prerendered pages’ own policies', () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'kopek-prerendered-'));
		dirs.push(dir);
		mkdirSync(path.join(dir, 'nested'));
		const meta = (hash: string) =>
			`<head><meta http-equiv="content-security-policy" content="default-src 'self'; script-src 'self' '${hash}'; style-src 'self'"></head>`;
		writeFileSync(path.join(dir, 'counter-shell.html'), meta('sha256-AAA='));
		writeFileSync(path.join(dir, 'nested', 'page.html'), meta('sha256-BBB='));
		writeFileSync(path.join(dir, 'other.txt'), meta('sha256-CCC='));
		expect(prerenderedScriptHashes(dir)).toEqual(['sha256-AAA=', 'sha256-BBB=']);
		expect(prerenderedScriptHashes(path.join(dir, 'missing'))).toEqual([]);
	});
});
