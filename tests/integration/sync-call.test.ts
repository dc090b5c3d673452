import type { Kysely } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSession, sessionIdFromToken } from '../../server/auth/session';
import type { Database } from '../../server/db/types';
import { requestCookieJar } from '../../server/http/cookie-jar';
import { serveMutationCall, serveTrpc, type TrpcEvent } from '../../server/http/trpc-endpoint';
import { SERVER_TIME_HEADER } from '../../src/lib/domain/server-time';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { insertDevice } from './support/cabinets-fixtures';
import { useTestDatabase } from './support/db';
import { insertCompany, insertCustomer, insertUser } from './support/fixtures';

/**
 * The sync fast path answers a plain JSON call with serveMutationCall instead of tRPC's fetch
 * adapter (server/http/fast-sync.ts). Whatever the call, both must answer the same bytes:
 * status, headers (but the clock), body.
 */
const t = useTestDatabase();
let principal: Pick<TrpcEvent['locals'], 'user' | 'session' | 'terminal'>;
let deviceId: string;
const URL_OF_SYNC = 'http://localhost/api/trpc/payments.sync';

beforeAll(async () => {
	await insertCustomer(t.db, '123455', 'Иванов Иван');
	const companyId = await insertCompany(t.db, { rateBp: 1000 });
	const user = await insertUser(t.db, 'company', { companyId });
	const { token, expiresAt } = await createSession(t.db, user.id);
	principal = {
		user,
		session: { id: sessionIdFromToken(token), expiresAt },
		terminal: null
	};
	deviceId = await insertDevice(t.db, companyId);
});

function eventOf(
	body: string,
	options: { db?: Kysely<Database>; anonymous?: boolean } = {}
): TrpcEvent {
	const url = new URL(URL_OF_SYNC);
	const request = new Request(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body
	});
	return {
		request,
		url,
		locals: {
			db: options.db ?? t.db,
			...(options.anonymous ? { user: null, session: null, terminal: null } : principal)
		},
		cookies: requestCookieJar(null, url),
		getClientAddress: () => '127.0.0.1'
	};
}

async function answer(response: Response) {
	const headers = Object.fromEntries(
		[...response.headers].filter(([name]) => name !== SERVER_TIME_HEADER)
	);
	expect(response.headers.get(SERVER_TIME_HEADER)).toMatch(/^\d+$/);
	return { status: response.status, headers, body: await response.text() };
}

/** Both ways of serving the same call, in turn; their answers. */
async function both(body: string, options?: Parameters<typeof eventOf>[1]) {
	const adapter = await answer(await serveTrpc(eventOf(body, options)));
	const direct = await answer(
		await serveMutationCall(eventOf(body, options), 'payments.sync', body)
	);
	return { adapter, direct };
}

const sync = (operations: unknown[]) => JSON.stringify({ json: { deviceId, operations } });
const operation = () => ({
	id: uuidv7(),
	customerId: '123455',
	amountKopecks: 10_000,
	occurredAt: new Date(Date.now() - 60_000).toISOString()
});

/** A db that fails as a dead Postgres connection does, or with a bug of Kopek's own. */
function failingDb(error: Error): Kysely<Database> {
	return new Proxy(t.db, {
		get(target, name, receiver) {
			if (name === 'transaction' || name === 'selectFrom') {
				return () => {
					throw error;
				};
			}
			return Reflect.get(target, name, receiver) as unknown;
		}
	});
}

describe('the sync call served directly answers as tRPC does', () => {
	it('stored operations (answered as duplicates the second time)', async () => {
		const body = sync([operation(), operation()]);
		const first = await answer(await serveTrpc(eventOf(body)));
		expect(first.status).toBe(200);
		expect(
			JSON.parse(first.body).result.data.json.map((o: { outcome: string }) => o.outcome)
		).toEqual(['accepted', 'accepted']);
		const { adapter, direct } = await both(body);
		expect(direct).toEqual(adapter);
		expect(JSON.parse(direct.body).result.data.json[0].outcome).toBe('duplicate');
	});

	it('a rejected operation, and a batch of one accepted the direct way', async () => {
		const rejected = sync([{ ...operation(), customerId: '999999' }]);
		const { adapter, direct } = await both(rejected);
		expect(direct).toEqual(adapter);
		expect(JSON.parse(direct.body).result.data.json[0]).toMatchObject({
			outcome: 'rejected',
			reason: 'unknown_customer'
		});
		const accepted = await answer(
			await serveMutationCall(eventOf(''), 'payments.sync', sync([operation()]))
		);
		expect(JSON.parse(accepted.body).result.data.json[0].outcome).toBe('accepted');
	});

	it('a batch past the lookup limit: 429 with Retry-After, nothing stored (SPEC C16)', async () => {
		// 61 distinct unknown customers: more than a minute's lookups ever cover.
		const probes = Array.from({ length: 61 }, (_, i) => ({
			...operation(),
			customerId: String(200_000 + i)
		}));
		const body = sync([operation(), ...probes]);
		const { adapter, direct } = await both(body);
		expect(direct).toEqual(adapter);
		expect(direct.status).toBe(429);
		expect(direct.headers['retry-after']).toBe('60');
		expect(JSON.parse(direct.body).error.json.message).toMatch(/^Слишком много проверок клиентов/);
		const stored = await t.db
			.selectFrom('operations')
			.select('id')
			.where('id', '=', JSON.parse(body).json.operations[0].id)
			.execute();
		expect(stored).toEqual([]);
	});

	it.each([
		['input that fails validation', sync([{ ...operation(), id: 'not-a-uuid' }])],
		['a body that is not JSON', '{"json": {'],
		['an empty body', ''],
		['JSON of the wrong shape', '[1, 2, 3]']
	])('%s', async (_, body) => {
		const { adapter, direct } = await both(body);
		expect(direct).toEqual(adapter);
		expect(direct.status).toBeGreaterThanOrEqual(400);
	});

	it('an anonymous caller', async () => {
		const { adapter, direct } = await both(sync([operation()]), { anonymous: true });
		expect(direct).toEqual(adapter);
		expect(direct.status).toBe(401);
	});

	it('the database away (503 with Retry-After) and a failure of its own (500, no details)', async () => {
		const away = await both(sync([operation()]), {
			db: failingDb(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))
		});
		expect(away.direct).toEqual(away.adapter);
		expect(away.direct.status).toBe(503);
		expect(away.direct.headers['retry-after']).toBe('5');
		const broken = await both(sync([operation()]), {
			db: failingDb(new Error('relation "secret_table" does not exist'))
		});
		expect(broken.direct).toEqual(broken.adapter);
		expect(broken.direct.status).toBe(500);
		expect(broken.direct.body).not.toContain('secret_table');
	});
});
