import { Writable } from 'node:stream';
import { redirect, type RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';
import { metricsResponse, recordSync, registry } from './metrics';
import { observeRequest, requestIdOf, routeLabel } from './request-log';

/** A logger writing into an array of parsed lines. */
function capture() {
	const lines: Record<string, unknown>[] = [];
	const stream = new Writable({
		write(chunk, _enc, done) {
			for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
			done();
		}
	});
	return { lines, log: createLogger(stream) };
}

function eventFor(url: string, init: RequestInit = {}, routeId: string | null = null) {
	return {
		request: new Request(url, init),
		url: new URL(url),
		route: { id: routeId },
		locals: { user: { id: 'u-1', role: 'company' } }
	} as unknown as RequestEvent;
}

const known = new Set(['payments.sync', 'auth.me', 'customers.lookup']);
const isProcedure = (n: string) => known.has(n);

describe('routeLabel', () => {
	it('names pages by route id and tRPC calls by known procedure only', () => {
		expect(routeLabel('/company/clients', '/(app)/company/clients', isProcedure).route).toBe(
			'/(app)/company/clients'
		);
		expect(routeLabel('/nowhere', null, isProcedure).route).toBe('unmatched');
		expect(routeLabel('/api/trpc/payments.sync', 'x', isProcedure)).toEqual({
			route: 'trpc:payments.sync',
			procedure: 'payments.sync'
		});
		expect(routeLabel('/api/trpc/auth.me,auth.me', 'x', isProcedure).route).toBe('trpc:auth.me');
		expect(routeLabel('/api/trpc/auth.me,customers.lookup', 'x', isProcedure).route).toBe(
			'trpc:batch'
		);
		expect(routeLabel('/api/trpc/made.up' + 'x'.repeat(50), 'x', isProcedure).route).toBe(
			'trpc:unknown'
		);
	});
});

describe('requestIdOf', () => {
	it("keeps a proxy's sane id and replaces anything else", () => {
		const withId = (id: string) => new Request('http://k/', { headers: { 'x-request-id': id } });
		expect(requestIdOf(withId('abc-123'))).toBe('abc-123');
		expect(requestIdOf(withId('a b"<script>'))).toMatch(/^[0-9a-f-]{36}$/);
		expect(requestIdOf(new Request('http://k/'))).toMatch(/^[0-9a-f-]{36}$/);
	});
});

describe('observeRequest', () => {
	it('writes one JSON line per request with id, route, status and duration, and no query or cookie', async () => {
		const { lines, log } = capture();
		const event = eventFor(
			'http://k/api/trpc/auth.me?input=%7B%22phone%22%3A%2279990001122%22%7D',
			{
				headers: { cookie: 'kopek_session=secret-token', authorization: 'Bearer t0ken' }
			}
		);
		const response = await observeRequest(event, log, isProcedure, async () =>
			Response.json({ ok: true })
		);
		expect(lines).toHaveLength(1);
		const line = lines[0]!;
		expect(line).toMatchObject({
			msg: 'request',
			method: 'GET',
			path: '/api/trpc/auth.me',
			route: 'trpc:auth.me',
			trpc: 'auth.me',
			status: 200,
			userId: 'u-1',
			role: 'company'
		});
		expect(typeof line.ms).toBe('number');
		expect(line.reqId).toBe(response.headers.get('x-request-id'));
		const text = JSON.stringify(line);
		for (const secret of ['secret-token', 't0ken', '79990001122', 'input']) {
			expect(text).not.toContain(secret);
		}
	});

	it('logs the status of a thrown redirect and rethrows it', async () => {
		const { lines, log } = capture();
		await expect(
			observeRequest(eventFor('http://k/company', {}, '/(app)/company'), log, isProcedure, () =>
				redirect(303, '/login')
			)
		).rejects.toMatchObject({ status: 303 });
		expect(lines[0]).toMatchObject({ status: 303, route: '/(app)/company' });
	});

	it('counts the request in the latency histogram by route', async () => {
		const { log } = capture();
		await observeRequest(
			eventFor('http://k/api/trpc/customers.lookup'),
			log,
			isProcedure,
			async () => new Response(null, { status: 429 })
		);
		const text = await registry.metrics();
		expect(text).toMatch(
			/kopek_http_request_duration_seconds_count\{route="trpc:customers.lookup",method="GET",status="429"\} [1-9]/
		);
	});
});

describe('metrics', () => {
	it('counts sync outcomes and batch sizes', async () => {
		recordSync([{ outcome: 'accepted' }, { outcome: 'accepted' }, { outcome: 'rejected' }]);
		const text = await registry.metrics();
		expect(text).toMatch(/kopek_sync_operations_total\{outcome="accepted"\} [2-9]/);
		expect(text).toMatch(/kopek_sync_operations_total\{outcome="rejected"\} [1-9]/);
		expect(text).toMatch(/kopek_sync_batch_size_count [1-9]/);
	});

	it('serves /metrics only with the bearer token when one is set', async () => {
		const req = (auth?: string) =>
			new Request('http://k/metrics', auth ? { headers: { authorization: auth } } : {});
		expect((await metricsResponse(req(), 'tok-1')).status).toBe(401);
		expect((await metricsResponse(req('Bearer tok-2'), 'tok-1')).status).toBe(401);
		expect((await metricsResponse(req('Bearer tok-1x'), 'tok-1')).status).toBe(401);
		const ok = await metricsResponse(req('Bearer tok-1'), 'tok-1');
		expect(ok.status).toBe(200);
		expect(await ok.text()).toContain('kopek_process_cpu_seconds_total');
		expect((await metricsResponse(req(), undefined)).status).toBe(200);
	});
});
