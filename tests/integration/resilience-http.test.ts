import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../server/db/availability';
import { guardRequest } from '../../server/http/guard';
import { limitTrpcRequest, MAX_BATCH_CALLS } from '../../server/http/trpc-limits';
import { appRouter } from '../../server/root';
import type { Context } from '../../server/trpc';
import { useTestDatabase } from './support/db';
import { insertCompany, insertUser } from './support/fixtures';

const t = useTestDatabase();

/** What /api/trpc/[...trpc]/+server.ts does, with a given context. */
async function serve(request: Request, ctx: Context): Promise<Response> {
	const url = new URL(request.url);
	const limited = await limitTrpcRequest(request, url);
	if (limited instanceof Response) return limited;
	return fetchRequestHandler({
		endpoint: '/api/trpc',
		req: limited,
		router: appRouter,
		maxBatchSize: MAX_BATCH_CALLS,
		createContext: () => ctx,
		onError: () => {}
	});
}

const anonymous = (): Context => ({ db: t.db, user: null, session: null, ip: '127.0.0.1' });

describe('request limits of /api/trpc', () => {
	it('serves a batch of 10 calls and refuses one of 11', async () => {
		const batch = (n: number) => {
			const paths = Array.from({ length: n }, () => 'auth.me').join(',');
			const input = Object.fromEntries(Array.from({ length: n }, (_, i) => [i, { json: null }]));
			return new Request(
				`http://localhost/api/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`
			);
		};
		expect((await serve(batch(10), anonymous())).status).toBe(200);
		const refused = await serve(batch(11), anonymous());
		expect(refused.status).toBe(400);
	});

	it('refuses payments.sync batched with any other call, before running anything', async () => {
		const response = await serve(
			new Request('http://localhost/api/trpc/payments.sync,payments.sync?batch=1', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ 0: { json: {} }, 1: { json: {} } })
			}),
			anonymous()
		);
		expect(response.status).toBe(400);
		const body = (await response.json()) as { error: { json: { data: { code: string } } } }[];
		expect(body).toHaveLength(2);
		expect(body[0]!.error.json.data.code).toBe('BAD_REQUEST');
	});

	it('answers a body over 1 MB with 413, declared or streamed', async () => {
		const big = JSON.stringify({ json: { name: 'x'.repeat(1024 * 1024) } });
		const declared = await serve(
			new Request('http://localhost/api/trpc/devices.register', {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'content-length': String(big.length) },
				body: big
			}),
			anonymous()
		);
		expect(declared.status).toBe(413);
		const stream = new ReadableStream({
			start(controller) {
				controller.enqueue(new TextEncoder().encode(big));
				controller.close();
			}
		});
		const streamed = await serve(
			new Request('http://localhost/api/trpc/devices.register', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: stream,
				duplex: 'half'
			} as RequestInit),
			anonymous()
		);
		expect(streamed.status).toBe(413);
		expect(
			((await streamed.json()) as { error: { json: { data: { code: string } } } }).error.json.data
				.code
		).toBe('PAYLOAD_TOO_LARGE');
	});
});

describe('an unreachable database', () => {
	const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
		code: 'ECONNREFUSED'
	});
	const deadDb = new Proxy(
		{},
		{
			get() {
				throw refused;
			}
		}
	) as Context['db'];

	it('is classified as unavailable, a bad query is not', () => {
		expect(isDatabaseUnavailable(refused)).toBe(true);
		expect(isDatabaseUnavailable({ code: '57P01' })).toBe(true);
		expect(isDatabaseUnavailable(new Error('x', { cause: { code: 'CONNECTION_CLOSED' } }))).toBe(
			true
		);
		expect(isDatabaseUnavailable({ code: '23505' })).toBe(false);
		expect(isDatabaseUnavailable(new TypeError('boom'))).toBe(false);
	});

	it('makes a procedure answer SERVICE_UNAVAILABLE with HTTP 503, as JSON', async () => {
		const companyId = await insertCompany(t.db);
		const user = await insertUser(t.db, 'company', { companyId });
		const response = await serve(new Request('http://localhost/api/trpc/devices.list'), {
			db: deadDb,
			user,
			session: { id: 'x', expiresAt: new Date(Date.now() + 60_000) },
			ip: '127.0.0.1'
		});
		expect(response.status).toBe(503);
		const body = (await response.json()) as {
			error: { json: { message: string; data: { code: string; httpStatus: number } } };
		};
		expect(body.error.json.data).toMatchObject({ code: 'SERVICE_UNAVAILABLE', httpStatus: 503 });
		expect(body.error.json.message).toMatch(/временно недоступен/);
	});

	const event = (url: string, headers: Record<string, string> = {}) =>
		({
			url: new URL(url),
			request: new Request(url, { headers }),
			locals: {}
		}) as unknown as RequestEvent;

	it('turns an unreachable database met before tRPC (the session check) into JSON 503 + Retry-After', async () => {
		const response = await guardRequest(
			event('http://localhost/api/trpc/a,b?batch=1'),
			async () => {
				throw refused;
			}
		);
		expect(response.status).toBe(503);
		expect(response.headers.get('retry-after')).toBe('5');
		const body = (await response.json()) as { error: { json: { data: { code: string } } } }[];
		expect(body.map((b) => b.error.json.data.code)).toEqual([
			'SERVICE_UNAVAILABLE',
			'SERVICE_UNAVAILABLE'
		]);
	});

	it('answers a page with the Russian «временно недоступен» page, 503', async () => {
		const response = await guardRequest(event('http://localhost/company'), async () => {
			throw refused;
		});
		expect(response.status).toBe(503);
		expect(response.headers.get('retry-after')).toBe('5');
		expect(response.headers.get('content-type')).toMatch(/text\/html/);
		expect(await response.text()).toMatch(/временно недоступен/);
	});

	it('does not hide other errors', async () => {
		await expect(
			guardRequest(event('http://localhost/company'), async () => {
				throw new TypeError('a bug');
			})
		).rejects.toThrow('a bug');
	});
});
