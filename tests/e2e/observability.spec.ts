import { expect, test } from '@playwright/test';
import { startInstance, type Instance } from './support/instances';

/**
 * Operations on the built app (issue 7): a JSON log line per request with its id, path,
 * route, status and duration (no query, cookie or password); Prometheus metrics behind
 * KOPEK_METRICS_TOKEN; the probes. Its own instance on an embedded database, so the log and
 * the metrics are this test's alone.
 */
test.describe.configure({ mode: 'serial', timeout: 120_000 });

const TOKEN = 'metrics-token-for-e2e';
let instance: Instance;
let base: string;

test.beforeAll(async () => {
	instance = await startInstance(null, { KOPEK_METRICS_TOKEN: TOKEN, KOPEK_DEMO: '1' });
	base = `http://127.0.0.1:${instance.port}`;
});
test.afterAll(async () => {
	await instance?.stop();
});

/** The request lines the instance logged so far, parsed (every line must be JSON). */
function requestLines(): Record<string, unknown>[] {
	return instance
		.log()
		.split('\n')
		.filter((l) => l.startsWith('{'))
		.map((l) => JSON.parse(l) as Record<string, unknown>)
		.filter((l) => l.msg === 'request');
}

test('every request leaves one JSON log line with its id, and no secret', async ({ request }) => {
	const password = 'wrong-password-never-logged';
	const login = await request.post(`${base}/login`, {
		headers: { origin: base },
		form: { email: 'nobody@example.test', password },
		maxRedirects: 0
	});
	expect(login.status()).toBeLessThan(500);
	expect((await request.get(`${base}/api/trpc/auth.me`)).status()).toBe(200);
	const page = await request.get(`${base}/login?next=%2Fcompany`);
	expect(page.status()).toBe(200);
	const id = page.headers()['x-request-id'];
	expect(id).toMatch(/^[0-9a-f-]{36}$/);

	await expect.poll(() => requestLines().some((l) => l.reqId === id)).toBe(true);
	const lines = requestLines();
	const loginLine = lines.find((l) => l.method === 'POST' && l.path === '/login');
	expect(loginLine).toMatchObject({ route: '/(public)/login' });
	expect(typeof loginLine!.ms).toBe('number');
	expect(lines.find((l) => l.trpc === 'auth.me')).toMatchObject({
		route: 'trpc:auth.me',
		status: 200
	});
	expect(lines.find((l) => l.reqId === id)).toMatchObject({
		method: 'GET',
		path: '/login',
		status: 200
	});
	const whole = instance.log();
	expect(whole).not.toContain(password);
	expect(whole).not.toContain('next=');
	// Every line the process wrote is JSON (the start banner aside).
	for (const line of whole.split('\n').filter(Boolean)) {
		if (line.startsWith('[kopek]')) continue;
		expect(() => JSON.parse(line), line).not.toThrow();
	}
});

test('/metrics needs the token and counts requests by route; the probes answer', async ({
	request
}) => {
	expect((await request.get(`${base}/metrics`)).status()).toBe(401);
	const metrics = await request.get(`${base}/metrics`, {
		headers: { authorization: `Bearer ${TOKEN}` }
	});
	expect(metrics.status()).toBe(200);
	const text = await metrics.text();
	expect(text).toMatch(/kopek_http_request_duration_seconds_count\{route="trpc:auth.me"/);
	expect(text).toMatch(/kopek_http_request_duration_seconds_count\{route="\/\(public\)\/login"/);
	expect(text).toContain('kopek_sync_batch_size');
	expect(text).toContain('kopek_database_errors_total');
	expect((await request.get(`${base}/healthz`)).status()).toBe(200);
	const ready = await request.get(`${base}/readyz`);
	expect(ready.status()).toBe(200);
	expect(await ready.json()).toMatchObject({ status: expect.any(String) });
});

test('payments.sync, served beside SvelteKit, answers as through it', async ({ request }) => {
	const sync = (headers: Record<string, string>) =>
		request.post(`${base}/api/trpc/payments.sync`, {
			headers: { 'content-type': 'application/json', ...headers },
			data: { json: { deviceId: '00000000-0000-4000-8000-000000000000', operations: [] } }
		});
	const anonymous = await sync({ origin: base });
	expect(anonymous.status()).toBe(401);
	expect((await anonymous.json()).error.json.data.code).toBe('UNAUTHORIZED');
	expect(anonymous.headers()['x-kopek-time']).toMatch(/^\d+$/);
	const id = anonymous.headers()['x-request-id'];
	expect(id).toMatch(/^[0-9a-f-]{36}$/);
	await expect
		.poll(() => requestLines().find((l) => l.reqId === id))
		.toMatchObject({ route: 'trpc:payments.sync', status: 401 });
	expect((await sync({ origin: 'https://evil.example' })).status()).toBe(403);
	// A stale session cookie is deleted on this path too.
	const stale = await sync({
		origin: base,
		cookie: 'kopek_session=abcdefghijklmnopqrstuvwxyz234567'
	});
	expect(stale.status()).toBe(401);
	expect(stale.headers()['set-cookie']).toMatch(
		/^kopek_session=; Path=\/; Expires=Thu, 01 Jan 1970/
	);
	// Over 1 MB: 413 as tRPC's limit answers it, and the next call is served as before.
	const big = await request.post(`${base}/api/trpc/payments.sync`, {
		headers: { 'content-type': 'application/json', origin: base },
		data: JSON.stringify({ json: 'x'.repeat(1024 * 1024 + 1) })
	});
	expect(big.status()).toBe(413);
	expect((await big.json()).error.json.data.code).toBe('PAYLOAD_TOO_LARGE');
	expect((await sync({ origin: base })).status()).toBe(401);
	// Another shape of call (batched) is answered by tRPC's adapter: one answer per call.
	const batched = await request.post(`${base}/api/trpc/payments.sync?batch=1`, {
		headers: { 'content-type': 'application/json', origin: base },
		data: { 0: { json: { deviceId: '00000000-0000-4000-8000-000000000000', operations: [] } } }
	});
	expect(batched.status()).toBe(401);
	expect((await batched.json())[0].error.json.data.code).toBe('UNAUTHORIZED');
});
