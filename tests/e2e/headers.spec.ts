import { expect, test, type APIResponse } from '@playwright/test';
import { logInAs } from './support/auth';

/** The headers every answer carries (issue 18), whoever wrote it. */
function expectSecurityHeaders(response: APIResponse, what: string) {
	const h = response.headers();
	expect(h['x-content-type-options'], what).toBe('nosniff');
	expect(h['x-frame-options'], what).toBe('DENY');
	expect(h['referrer-policy'], what).toBe('strict-origin-when-cross-origin');
	expect(h['permissions-policy'], what).toContain('camera=(self)');
	const csp = h['content-security-policy'] ?? '';
	expect(csp, what).toContain("frame-ancestors 'none'");
	expect(csp, what).toContain("object-src 'none'");
	const scripts = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
	expect(scripts, what).toContain("'self'");
	expect(scripts, what).not.toContain('unsafe-inline');
	expect(scripts, what).not.toContain('unsafe-eval');
	// Served over plain http here (no ORIGIN): no HSTS.
	expect(h['strict-transport-security'], what).toBeUndefined();
	return csp;
}

test('every route group answers with the security headers', async ({ page, request }) => {
	// A public page: SvelteKit's CSP with this answer's nonce, used by its inline script.
	const login = await request.get('/login');
	expect(login.status()).toBe(200);
	const loginCsp = expectSecurityHeaders(login, '/login');
	const nonce = /'nonce-([^']+)'/.exec(loginCsp)?.[1];
	expect(nonce).toBeTruthy();
	const html = await login.text();
	expect(html).toContain(`nonce="${nonce}"`);

	// A cabinet signed out (a redirect thrown in the hooks) and the counter signed out.
	for (const path of ['/company', '/operator/companies', '/me', '/company/pay']) {
		const response = await request.get(path, { maxRedirects: 0 });
		expectSecurityHeaders(response, path);
	}

	// The API: SvelteKit's tRPC route and the sync fast path of scripts/start.js.
	expectSecurityHeaders(await request.get('/api/trpc/auth.me'), 'GET /api/trpc/auth.me');
	const sync = await request.post('/api/trpc/payments.sync', {
		headers: { 'content-type': 'application/json' },
		data: JSON.stringify({ json: { deviceId: crypto.randomUUID(), operations: [] } })
	});
	expect(sync.status()).toBe(401);
	expectSecurityHeaders(sync, 'POST /api/trpc/payments.sync (fast path)');

	// Static files of adapter-node: the manifest, an icon, the app's scripts, the worker.
	for (const path of ['/favicon.png', '/manifest.webmanifest', '/service-worker.js']) {
		const response = await request.get(path);
		expect(response.status(), path).toBe(200);
		expectSecurityHeaders(response, path);
	}
	const script = /(\/_app\/immutable\/entry\/[^"']+\.js)/.exec(html)?.[1];
	expect(script).toBeTruthy();
	expectSecurityHeaders(await request.get(script!), script!);

	// The prerendered offline shell: the header's policy allows its inline script by hash,
	// the same hash as its own <meta> policy.
	const shell = await request.get('/counter-shell');
	expect(shell.status()).toBe(200);
	const shellCsp = expectSecurityHeaders(shell, '/counter-shell');
	const shellHtml = await shell.text();
	const metaHashes = [
		...(
			/http-equiv="content-security-policy" content="([^"]*)"/.exec(shellHtml)?.[1] ?? ''
		).matchAll(/sha256-[A-Za-z0-9+/=]+/g)
	].map((m) => m[0]);
	expect(metaHashes.length).toBeGreaterThan(0);
	for (const hash of metaHashes) expect(shellCsp).toContain(`'${hash}'`);

	// A 404 page, a missing static file, the probes.
	for (const path of [
		'/no-such-page',
		'/_app/immutable/no-such.js',
		'/healthz',
		'/readyz',
		'/metrics'
	]) {
		expectSecurityHeaders(await request.get(path), path);
	}

	// Signed in: a cabinet page, the counter and an export, each with the headers.
	await logInAs(page, 'company@kopek.local');
	for (const path of ['/company/terminals', '/company/pay', '/company/clients']) {
		const response = await page.request.get(path);
		expect(response.status(), path).toBe(200);
		expectSecurityHeaders(response, path);
	}
	expectSecurityHeaders(await page.request.get('/api/trpc/auth.me'), 'signed-in auth.me');
});

test('another page cannot frame a cabinet page', async ({ page, baseURL }) => {
	await logInAs(page, 'company@kopek.local');
	// A page of no origin of ours frames the signed-in cabinet: the browser refuses to show it
	// (Chromium puts its error page in the frame; frame-ancestors 'none', X-Frame-Options DENY).
	await page.goto('about:blank');
	await page.setContent(`<iframe src="${baseURL}/company/terminals"></iframe>`);
	const frame = () =>
		page
			.frames()
			.find((f) => f !== page.mainFrame())
			?.url() ?? '';
	await expect.poll(frame).toMatch(/^chrome-error:/);
});
