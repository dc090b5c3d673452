import { describe, expect, it } from 'vitest';
import { handleApiV1 } from '../../server/http/api-v1/handler';
import { createRateLimit } from '../../server/http/api-v1/rate';
import { createIntegrationKey } from '../../server/services/integration-keys';
import { useTestDatabase } from './support/db';
import { redeemingShop } from './support/redemption-fixtures';
import { checkAgainstDocument, tillClient } from './support/till-api';

/**
 * The till API's hot path (issue 20, SPEC C13), on both databases: the per-key rate limit, and a
 * quote that claims its Idempotency-Key with its answer.
 */
const t = useTestDatabase();

async function key(companyId: number, name: string) {
	const created = await createIntegrationKey(t.db, {
		companyId,
		name,
		terminalId: null,
		userId: null
	});
	if (!created.ok) throw new Error('key');
	return created.key.secret;
}

describe('per-key rate limit', () => {
	it('past its burst a key is answered 429 rate_limited with Retry-After; another key is not', async () => {
		const shop = await redeemingShop(t.db);
		const [a, b] = [await key(shop.companyId, 'A'), await key(shop.companyId, 'B')];
		const rateLimit = createRateLimit(0.5, 2);
		let n = 0;
		const call = async (secret: string, method: 'GET' | 'POST', path: string) => {
			const response = await handleApiV1(
				t.db,
				new Request(`http://kopek.test${path}`, {
					method,
					headers: {
						authorization: `Bearer ${secret}`,
						'content-type': 'application/json',
						'idempotency-key': `limit-${n++}`
					},
					body:
						method === 'POST' ? JSON.stringify({ receipt: { totalKopecks: 100_00 } }) : undefined
				}),
				{ rateLimit }
			);
			const body = await response.json();
			checkAgainstDocument(
				method,
				path,
				response.status,
				body,
				response.headers.get('content-type')!
			);
			return { status: response.status, body, retryAfter: response.headers.get('retry-after') };
		};
		const since = encodeURIComponent(new Date(Date.now() - 60_000).toISOString());
		expect((await call(a, 'POST', '/api/v1/quotes')).status).toBe(200);
		expect((await call(a, 'GET', `/api/v1/operations?since=${since}`)).status).toBe(200);
		const limited = await call(a, 'POST', '/api/v1/quotes');
		expect(limited).toMatchObject({
			status: 429,
			body: { code: 'rate_limited', retryAfterSeconds: 2 },
			retryAfter: '2'
		});
		expect((await call(a, 'GET', `/api/v1/operations?since=${since}`)).status).toBe(429);
		expect((await call(b, 'POST', '/api/v1/quotes')).status).toBe(200);
		// A refused request stored nothing: its Idempotency-Key is free for the retry.
		const stored = await t.db
			.selectFrom('api_idempotency')
			.select('idempotency_key')
			.where('idempotency_key', 'like', 'limit-%')
			.execute();
		expect(stored.map((r) => r.idempotency_key).sort()).toEqual(['limit-0', 'limit-4']);
	});
});

describe('a quote’s Idempotency-Key, claimed with its answer', () => {
	it('concurrent repeats get the first answer; after a rate change the key still replays it, a new key quotes afresh', async () => {
		const shop = await redeemingShop(t.db, { rateBp: 1000 });
		const call = tillClient(t.db, await key(shop.companyId, 'Q'));
		const headers = { 'idempotency-key': `quote-${Date.now()}` };
		const body = { receipt: { totalKopecks: 1_000_00 } };
		const answers = await Promise.all(
			Array.from({ length: 10 }, () => call('POST', '/api/v1/quotes', body, headers))
		);
		expect(answers.map((a) => [a.status, a.body.cashbackKopecks])).toEqual(
			Array(10).fill([200, 100_00])
		);
		expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);
		// The operator raises the rate: read afresh by every new quote (nothing cached), while the
		// Idempotency-Key keeps its stored answer.
		await t.db
			.insertInto('company_rates')
			.values({
				company_id: shop.companyId,
				rate_bp: 2000,
				effective_from: new Date(Date.now() - 1000),
				created_by: null
			})
			.execute();
		const replay = await call('POST', '/api/v1/quotes', body, headers);
		expect(replay).toMatchObject({ status: 200, body: { rateBp: 1000, cashbackKopecks: 100_00 } });
		expect(replay.headers.get('idempotent-replayed')).toBe('true');
		const fresh = await call('POST', '/api/v1/quotes', body, {
			'idempotency-key': `${headers['idempotency-key']}-2`
		});
		expect(fresh).toMatchObject({ status: 200, body: { rateBp: 2000, cashbackKopecks: 200_00 } });
		const other = await call(
			'POST',
			'/api/v1/quotes',
			{ receipt: { totalKopecks: 5_00 } },
			headers
		);
		expect(other).toMatchObject({ status: 409, body: { code: 'idempotency_key_reused' } });
	});
});
