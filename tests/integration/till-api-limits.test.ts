import { describe, expect, it } from 'vitest';
import { handleApiV1 } from '../../server/http/api-v1/handler';
import { createRateLimit } from '../../server/http/api-v1/rate';
import { createIntegrationKey } from '../../server/services/integration-keys';
import { useTestDatabase } from './support/db';
import { redeemingShop } from './support/redemption-fixtures';
import { checkAgainstDocument } from './support/till-api';

/** The till API's per-key rate limit and body limit (issue 20, SPEC C13), on both databases. */
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
