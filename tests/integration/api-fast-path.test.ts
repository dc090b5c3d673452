import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../server/db/types';
import * as idem from '../../server/repositories/api-idempotency';
import { checkKeys } from '../../server/repositories/api-callers';
import {
	bearerSecretHash,
	checkCaller,
	createIntegrationKey,
	revokeIntegrationKey
} from '../../server/services/integration-keys';
import { useTestDatabase } from './support/db';
import { insertCustomer } from './support/fixtures';
import { giveBalance, redeemingShop } from './support/redemption-fixtures';

/**
 * The till API's fast path (server/http/fast-api.ts, beside SvelteKit as payments.sync's) answers
 * exactly as SvelteKit's route does through the hooks (request id, guard, security headers and
 * CSP, problem+json): the same requests through both, compared status, headers and body.
 */
const holder = vi.hoisted(() => ({ db: null as unknown }));
vi.mock('../../server/app', () => ({
	getServices: async () => ({ db: holder.db as Kysely<Database> })
}));

const t = useTestDatabase();
const IVANOV = '123455';
let server: http.Server;
let base = '';
let secret = '';
let revokedSecret = '';
let viaKit: (request: Request) => Promise<Response>;

beforeAll(async () => {
	holder.db = t.db;
	await insertCustomer(t.db, IVANOV, 'Иванов Иван');
	await giveBalance(t.db, IVANOV, 5_000_00);
	const shop = await redeemingShop(t.db, { rateBp: 1000, redeemMaxBp: 5000 });
	const key = async (name: string) => {
		const created = await createIntegrationKey(t.db, {
			companyId: shop.companyId,
			name,
			terminalId: null,
			userId: shop.user.id
		});
		if (!created.ok) throw new Error('key');
		return created.key;
	};
	secret = (await key('Эвотор')).secret;
	const revoked = await key('Старая касса');
	revokedSecret = revoked.secret;
	await revokeIntegrationKey(t.db, { companyId: shop.companyId, keyId: revoked.id, userId: null });

	const { handle } = await import('../../src/hooks.server');
	const route = (await import('../../src/routes/api/v1/[...path]/+server')) as unknown as Record<
		string,
		(event: RequestEvent) => Promise<Response>
	>;
	viaKit = async (request) => {
		const event = {
			request,
			url: new URL(request.url),
			locals: {},
			params: {},
			route: { id: '/api/v1/[...path]' },
			cookies: { get: () => undefined, getAll: () => [] },
			getClientAddress: () => '127.0.0.1',
			setHeaders: () => {},
			isDataRequest: false,
			isSubRequest: false
		} as unknown as RequestEvent;
		return handle({ event, resolve: (e) => route[e.request.method]!(e) });
	};
	const { createFastApi } = await import('../../server/http/fast-api');
	const fast = createFastApi(() => false);
	server = http.createServer((req, res) =>
		fast(req, res, () => {
			res.statusCode = 599;
			res.end('declined');
		})
	);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await new Promise((resolve) => server?.close(resolve));
});

const TRANSPORT = new Set([
	'date',
	'connection',
	'keep-alive',
	'content-length',
	'transfer-encoding'
]);

async function answer(response: Response) {
	const headers = Object.fromEntries(
		[...response.headers].filter(([name]) => !TRANSPORT.has(name)).sort()
	);
	const text = await response.text();
	const type = headers['content-type'] ?? '';
	return {
		status: response.status,
		headers,
		body: type.includes('json') ? JSON.parse(text) : text
	};
}

let n = 0;
/** One request, once through each door (each door its own Idempotency-Key: `key` or a fresh one). */
async function both(
	method: string,
	path: string,
	options: { headers?: Record<string, string>; body?: string; key?: string } = {}
) {
	const id = `req-${n++}`;
	const init = (side: string) => ({
		method,
		headers: {
			'x-request-id': id,
			...(options.headers ?? {}),
			...(method === 'POST' && options.key !== ''
				? { 'idempotency-key': `${side}-${options.key ?? id}` }
				: {})
		},
		body: options.body
	});
	const fast = await answer(await fetch(base + path, init('fast')));
	const kit = await answer(await viaKit(new Request(base + path, init('kit'))));
	return { fast, kit };
}

const auth = () => ({ authorization: `Bearer ${secret}`, 'content-type': 'application/json' });

describe('the till API fast path answers as the SvelteKit route', () => {
	it('a quote, its replay, and the problems (problem+json, headers, CSP)', async () => {
		const quote = JSON.stringify({ customerId: IVANOV, receipt: { totalKopecks: 12_345 } });
		const cases: [string, string, Parameters<typeof both>[2]][] = [
			['POST', '/api/v1/quotes', { headers: auth(), body: quote }],
			['POST', '/api/v1/quotes', { headers: auth(), body: quote, key: 'same' }],
			['POST', '/api/v1/quotes', { headers: auth(), body: '{"receipt":{}}' }],
			['POST', '/api/v1/quotes', { headers: auth(), body: '{', key: 'bad-json' }],
			['POST', '/api/v1/quotes', { headers: auth(), body: quote, key: '' }],
			[
				'POST',
				'/api/v1/quotes',
				{ headers: { ...auth(), 'content-type': 'text/plain' }, body: quote }
			],
			['POST', '/api/v1/nowhere', { headers: auth(), body: quote }],
			['POST', '/api/v1/quotes', { headers: { 'content-type': 'application/json' }, body: quote }],
			[
				'POST',
				'/api/v1/quotes',
				{ headers: { ...auth(), authorization: `Bearer ${revokedSecret}` }, body: quote }
			],
			['GET', '/api/v1/customers/' + IVANOV, { headers: auth() }],
			['GET', '/api/v1/customers/999999', { headers: auth() }],
			['GET', '/api/v1/customers/x?billKopecks=-1', { headers: auth() }],
			['GET', '/api/v1/openapi.json', {}],
			['GET', '/api/v1/operations', { headers: auth() }],
			['PUT', '/api/v1/quotes', { headers: auth(), body: quote }]
		];
		for (const [method, path, options] of cases) {
			const { fast, kit } = await both(method, path, options);
			expect(fast, `${method} ${path} ${options?.body ?? ''}`).toEqual(kit);
		}
		// The replay (the same key again on each door): marked as such, the same answer.
		const again = await both('POST', '/api/v1/quotes', {
			headers: auth(),
			body: quote,
			key: 'same'
		});
		expect(again.fast.headers['idempotent-replayed']).toBe('true');
		expect(again.fast).toEqual(again.kit);
	});

	it('a sale: the same status, headers and body but for its own operation id', async () => {
		const body = JSON.stringify({
			customerId: IVANOV,
			receipt: { totalKopecks: 50_000 },
			occurredAt: new Date(Date.now() - 1000).toISOString()
		});
		const { fast, kit } = await both('POST', '/api/v1/sales', { headers: auth(), body });
		expect(fast.status).toBe(201);
		const strip = (a: typeof fast) => ({
			...a,
			body: { ...a.body, operation: { ...a.body.operation, id: 'x' } }
		});
		expect(strip(fast)).toEqual(strip(kit));
		expect(fast.headers['content-security-policy']).toContain("default-src 'self'");
	});

	it('a body past 256 KB: 413 problem after the key check; no key: 401, the body never read', async () => {
		const big = 'x'.repeat(600 * 1024);
		const response = await fetch(base + '/api/v1/quotes', {
			method: 'POST',
			headers: { ...auth(), 'idempotency-key': 'too-big' },
			body: big
		});
		expect(response.status).toBe(413);
		expect(response.headers.get('content-type')).toBe('application/problem+json');
		expect(await response.json()).toMatchObject({ code: 'body_too_large' });
		expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
		// Without a key the answer is 401 before a byte of the body is read: a stream that would
		// fail when read is never read.
		const { handleApiV1 } = await import('../../server/http/api-v1/handler');
		let pulled = false;
		const body = new ReadableStream(
			{
				pull() {
					pulled = true;
					throw new Error('read');
				}
			},
			{ highWaterMark: 0 }
		);
		const unauthorized = await handleApiV1(
			t.db,
			new Request(base + '/api/v1/sales', {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'idempotency-key': 'no-key' },
				body,
				duplex: 'half'
			} as RequestInit)
		);
		expect(unauthorized.status).toBe(401);
		expect(pulled).toBe(false);
		// Chunked, without a Content-Length: reading stops past the limit.
		const chunked = await handleApiV1(
			t.db,
			new Request(base + '/api/v1/sales', {
				method: 'POST',
				headers: { ...auth(), 'idempotency-key': 'chunked' },
				body: new Blob([big]).stream(),
				duplex: 'half'
			} as RequestInit)
		);
		expect(chunked.status).toBe(413);
	});

	it('leaves to SvelteKit what it does not take as it is', async () => {
		for (const path of ['/api/v1/quotes/', '/api/v1//quotes']) {
			const response = await fetch(base + path, { method: 'POST', headers: auth(), body: '{}' });
			expect(response.status, path).toBe(599);
		}
		const head = await fetch(base + '/api/v1/openapi.json', { method: 'HEAD' });
		expect(head.status).toBe(599);
	});
});

describe('the statements of a POST', () => {
	it('the key check: a revoked or unknown key is refused; a quote’s context comes with it', async () => {
		const at = new Date();
		const quoting = await checkCaller(t.db, `Bearer ${secret}`, at);
		expect(quoting?.quoteContext).toMatchObject({ companyStatus: 'active', rateBp: 1000 });
		const plain = await checkCaller(t.db, `Bearer ${secret}`, null);
		expect(plain).toEqual({ who: quoting!.who, quoteContext: null });
		expect(await checkCaller(t.db, `Bearer ${revokedSecret}`, at)).toBeNull();
		expect(await checkCaller(t.db, 'Bearer kpk_' + 'x'.repeat(43), null)).toBeNull();
		expect(await checkCaller(t.db, null, null)).toBeNull();
	});

	it('several requests checked in one statement, each answered as alone', async () => {
		const good = bearerSecretHash(`Bearer ${secret}`)!;
		const revoked = bearerSecretHash(`Bearer ${revokedSecret}`)!;
		const at = new Date();
		const answers = await checkKeys(t.db, [
			{ secretHash: good, quoteAt: null },
			{ secretHash: revoked, quoteAt: at },
			{ secretHash: good, quoteAt: at },
			{ secretHash: 'f'.repeat(64), quoteAt: null }
		]);
		expect(answers.map((a) => a && a.quoteContext?.rateBp)).toEqual([undefined, null, 1000, null]);
		expect(answers[0]!.key).toEqual(answers[2]!.key);
	});

	it('a quote claims its Idempotency-Key with its answer: the first keeps it, a repeat reads it', async () => {
		const who = (await checkCaller(t.db, `Bearer ${secret}`, null))!.who;
		const ref = { keyId: who.keyId, idempotencyKey: 'with-answer', requestHash: 'h1' };
		const claims = await Promise.all([
			idem.claimWithAnswer(t.db, { ...ref, status: 200, body: { first: true } }),
			idem.claimWithAnswer(t.db, { ...ref, status: 200, body: { first: false } }),
			idem.claimWithAnswer(t.db, { ...ref, requestHash: 'h2', status: 200, body: {} })
		]);
		expect(claims).toEqual([
			{ kind: 'mine' },
			{ kind: 'answered', status: 200, body: { first: true } },
			{ kind: 'other_request' }
		]);
	});

	it('answers stored together are each stored as its own', async () => {
		const who = (await checkCaller(t.db, `Bearer ${secret}`, null))!.who;
		const refs = Array.from({ length: 30 }, (_, i) => ({
			keyId: who.keyId,
			idempotencyKey: `batch-${i}`,
			requestHash: `h${i}`
		}));
		await Promise.all(refs.map((ref) => idem.claim(t.db, ref)));
		await Promise.all(
			refs.map((ref, i) =>
				idem.storeAnswer(t.db, { ...ref, status: 200 + i, body: { n: i, text: `ответ ${i}` } })
			)
		);
		for (const [i, ref] of refs.entries())
			expect(await idem.read(t.db, ref)).toEqual({
				kind: 'answered',
				status: 200 + i,
				body: { n: i, text: `ответ ${i}` }
			});
	});
});
