import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../server/db/types';
import * as idem from '../../server/repositories/api-idempotency';
import {
	authenticateAndClaim,
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

	it('a body past BODY_SIZE_LIMIT: 413, as SvelteKit answers it', async () => {
		const response = await fetch(base + '/api/v1/quotes', {
			method: 'POST',
			headers: { ...auth(), 'idempotency-key': 'too-big' },
			body: 'x'.repeat(600 * 1024)
		});
		expect(response.status).toBe(413);
		expect(await response.json()).toEqual({ message: 'Internal Error' });
		expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
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

describe('the idempotency statements of a POST', () => {
	it('key check and claim in one statement: a revoked or unknown key claims nothing', async () => {
		const claim = { idempotencyKey: 'one-statement', requestHash: 'h1' };
		const first = await authenticateAndClaim(t.db, `Bearer ${secret}`, claim);
		expect(first?.claimed).toBe(true);
		expect((await authenticateAndClaim(t.db, `Bearer ${secret}`, claim))?.claimed).toBe(false);
		expect(await authenticateAndClaim(t.db, `Bearer ${revokedSecret}`, claim)).toBeNull();
		expect(await authenticateAndClaim(t.db, 'Bearer kpk_' + 'x'.repeat(43), claim)).toBeNull();
		const rows = await t.db
			.selectFrom('api_idempotency')
			.select('key_id')
			.where('idempotency_key', '=', 'one-statement')
			.execute();
		expect(rows.map((r) => r.key_id)).toEqual([first!.who.keyId]);
	});

	it('several requests checked and claimed in one statement, each answered as alone', async () => {
		const { bearerSecretHash } = await import('../../server/services/integration-keys');
		const good = bearerSecretHash(`Bearer ${secret}`)!;
		const revoked = bearerSecretHash(`Bearer ${revokedSecret}`)!;
		const answers = await idem.authenticateAndClaimMany(t.db, [
			{ secretHash: good, idempotencyKey: 'many-a', requestHash: 'h' },
			{ secretHash: good, idempotencyKey: 'many-a', requestHash: 'h' },
			{ secretHash: revoked, idempotencyKey: 'many-b', requestHash: 'h' },
			{ secretHash: good, idempotencyKey: 'many-c', requestHash: 'h' },
			{ secretHash: 'f'.repeat(64), idempotencyKey: 'many-d', requestHash: 'h' }
		]);
		expect(answers.map((a) => a && a.claimed)).toEqual([true, false, null, true, null]);
		expect(answers[0]!.key.id).toBe(answers[3]!.key.id);
	});

	it('answers stored together are each stored as its own', async () => {
		const who = (await authenticateAndClaim(t.db, `Bearer ${secret}`, {
			idempotencyKey: 'batch-0',
			requestHash: 'h'
		}))!.who;
		const refs = Array.from({ length: 30 }, (_, i) => ({
			keyId: who.keyId,
			idempotencyKey: `batch-${i}`,
			requestHash: `h${i}`
		}));
		await Promise.all(refs.slice(1).map((ref) => idem.claim(t.db, ref)));
		await t.db
			.updateTable('api_idempotency')
			.set({ request_hash: 'h0' })
			.where('idempotency_key', '=', 'batch-0')
			.execute();
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
