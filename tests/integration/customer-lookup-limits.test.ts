import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { createSession, sessionIdFromToken } from '../../server/auth/session';
import { retryAfterMeta } from '../../server/http/retry-after';
import { appRouter } from '../../server/root';
import { lookUpCustomerForCompany } from '../../server/services/customer-lookup';
import type { Context } from '../../server/trpc';
import { generateCustomerId } from '../../src/lib/domain/customer-id';
import { useTestDatabase } from './support/db';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';

/** Issue 7, deliverable 4: customers.lookup for active companies only, 60 a minute, 600 a day. */
const t = useTestDatabase({ truncate: true });

async function companyCaller(status: 'active' | 'pending' = 'active') {
	const companyId = await insertCompany(t.db, { status, rateBp: 500 });
	const user = await insertUser(t.db, 'company', { companyId });
	return { companyId, user, api: await callerAs(t.db, user) };
}

async function refusalOf(call: Promise<unknown>): Promise<TRPCError> {
	try {
		await call;
	} catch (error) {
		if (error instanceof TRPCError) return error;
		throw error;
	}
	throw new Error('expected a refusal, got an answer');
}

describe('customers.lookup limits', () => {
	it('61 lookups in a minute by one company: 60 answered (unknown IDs counted too), the 61st TOO_MANY_REQUESTS', async () => {
		const known = await insertCustomer(t.db, generateCustomerId(6), 'Иванова Мария');
		const { api } = await companyCaller();
		const answers = [];
		for (let i = 0; i < 60; i++) {
			// every third a known customer, the rest IDs nobody has, and one malformed
			const id = i % 3 === 0 ? known : i === 1 ? '12345' : generateCustomerId(8);
			answers.push(await api.customers.lookup({ customerId: id }));
		}
		expect(answers.filter((a) => a !== null)).toHaveLength(20);
		expect(answers[0]).toEqual({ customerId: known, name: 'Иванова Мария' });

		const refused = await refusalOf(api.customers.lookup({ customerId: known }));
		expect(refused.code).toBe('TOO_MANY_REQUESTS');
		expect(refused.message).toMatch(/^Слишком много проверок клиентов\. Повторите через \d+ с\.$/);

		// the limit is the company's: another company looks up as usual
		const other = await companyCaller();
		expect(await other.api.customers.lookup({ customerId: known })).toEqual({
			customerId: known,
			name: 'Иванова Мария'
		});
	});

	it('a pending company’s lookup is refused, and counts nothing', async () => {
		await insertCustomer(t.db, '100009', 'Иванова Мария');
		const { api } = await companyCaller('pending');
		const refused = await refusalOf(api.customers.lookup({ customerId: '100009' }));
		expect(refused.code).toBe('FORBIDDEN');
		expect(refused.message).toMatch(/^Компания не активна/);
		expect(await t.db.selectFrom('rate_events').selectAll().execute()).toHaveLength(0);
	});

	it('the minute and the day are sliding windows (clock injected)', async () => {
		const companyId = await insertCompany(t.db);
		const windows = [
			{ windowMs: 60_000, max: 3 },
			{ windowMs: 86_400_000, max: 5 }
		];
		const start = new Date('2026-12-01T09:00:00Z');
		const at = (seconds: number) => ({ windows, now: new Date(start.getTime() + seconds * 1000) });
		const look = async (seconds: number) => {
			const outcome = await lookUpCustomerForCompany(t.db, companyId, '100009', at(seconds));
			return outcome.ok
				? 'ok'
				: `${outcome.error} ${'retryAfterSeconds' in outcome ? outcome.retryAfterSeconds : ''}`;
		};
		expect([await look(0), await look(10), await look(20)]).toEqual(['ok', 'ok', 'ok']);
		// the 4th within the minute waits until the first is a minute old
		expect(await look(30)).toBe('throttled 30');
		expect(await look(61)).toBe('ok');
		expect(await look(75)).toBe('ok');
		// five in the day: the 6th waits until the first is a day old, a full minute later too
		expect(await look(200)).toBe('throttled 86200');
		expect(await look(86_401)).toBe('ok');
	});

	it('concurrent lookups of one company never pass the limit', async () => {
		const { api } = await companyCaller();
		const outcomes = await Promise.allSettled(
			Array.from({ length: 75 }, () => api.customers.lookup({ customerId: generateCustomerId(8) }))
		);
		expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(60);
		const reasons = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
		expect(reasons.map((r) => (r as TRPCError).code)).toEqual(Array(15).fill('TOO_MANY_REQUESTS'));
	});

	it('over HTTP: 429 with Retry-After and the Russian message', async () => {
		const { user } = await companyCaller();
		const { token, expiresAt } = await createSession(t.db, user.id);
		const ctx: Context = {
			db: t.db,
			user,
			session: { id: sessionIdFromToken(token), expiresAt },
			ip: '127.0.0.1'
		};
		const get = () =>
			fetchRequestHandler({
				endpoint: '/api/trpc',
				req: new Request(
					`http://localhost/api/trpc/customers.lookup?input=${encodeURIComponent(
						JSON.stringify(superjson.serialize({ customerId: generateCustomerId(8) }))
					)}`
				),
				router: appRouter,
				createContext: () => ctx,
				responseMeta: retryAfterMeta
			});
		for (let i = 0; i < 60; i++) expect((await get()).status).toBe(200);
		const refused = await get();
		expect(refused.status).toBe(429);
		const retryAfter = Number(refused.headers.get('retry-after'));
		expect(retryAfter).toBeGreaterThan(0);
		expect(retryAfter).toBeLessThanOrEqual(60);
		const body = (await refused.json()) as { error: { json: { message: string } } };
		expect(body.error.json.message).toMatch(/^Слишком много проверок клиентов/);
	});
});
