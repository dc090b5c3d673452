import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { describe, expect, it } from 'vitest';
import { createSession, sessionIdFromToken } from '../../server/auth/session';
import { appRouter } from '../../server/root';
import type { Context } from '../../server/trpc';
import { useTestDatabase } from './support/db';
import superjson from 'superjson';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';

const t = useTestDatabase();

async function post(path: string, body: unknown, ctx: Context) {
	const response = await fetchRequestHandler({
		endpoint: '/api/trpc',
		req: new Request(`http://localhost/api/trpc/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ json: body })
		}),
		router: appRouter,
		createContext: () => ctx
	});
	return {
		status: response.status,
		body: (await response.json()) as { error?: { json: Record<string, unknown> } }
	};
}

describe('tRPC over HTTP', () => {
	it('answers bad input with field errors and no stack trace', async () => {
		const user = await insertUser(t.db, 'operator');
		const { token, expiresAt } = await createSession(t.db, user.id);
		const ctx: Context = {
			db: t.db,
			user,
			session: { id: sessionIdFromToken(token), expiresAt },
			ip: '127.0.0.1'
		};
		const { status, body } = await post('auth.setLocale', { locale: 'de' }, ctx);
		expect(status).toBe(400);
		const error = body.error!.json as { data: Record<string, unknown> };
		expect(error.data.code).toBe('BAD_REQUEST');
		expect(error.data.fieldErrors).toHaveProperty('locale');
		expect(error.data).not.toHaveProperty('stack');
		expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
	});

	it('hides what broke inside behind a generic message', async () => {
		const user = await insertUser(t.db, 'operator');
		const broken = {
			selectFrom() {
				throw new Error('connection to 10.0.0.7 refused: password for kopek_admin');
			}
		} as unknown as Context['db'];
		const ctx: Context = {
			db: broken,
			user: { ...user, companyId: 1, role: 'company' },
			session: { id: 'x', expiresAt: new Date() },
			ip: '127.0.0.1'
		};
		const response = await fetchRequestHandler({
			endpoint: '/api/trpc',
			req: new Request('http://localhost/api/trpc/auth.me'),
			router: appRouter,
			createContext: () => ctx,
			onError: () => {}
		});
		expect(response.status).toBe(500);
		const text = await response.text();
		expect(text).toContain('Internal server error');
		expect(text).not.toContain('kopek_admin');
		expect(text).not.toContain('stack');
	});

	it('sends the sync answer as plain JSON that superjson decodes to the same outcomes', async () => {
		const companyId = await insertCompany(t.db, { rateBp: 1000, status: 'active' });
		const user = await insertUser(t.db, 'company', { companyId });
		await insertCustomer(t.db, '123455', 'Иванов Иван');
		const { deviceId } = await (await callerAs(t.db, user)).devices.register({ name: 'Касса' });
		const { token, expiresAt } = await createSession(t.db, user.id);
		const ctx: Context = {
			db: t.db,
			user,
			session: { id: sessionIdFromToken(token), expiresAt },
			ip: '127.0.0.1'
		};
		const operations = [
			{
				id: uuidv7(),
				customerId: '123455',
				amountKopecks: 100_000,
				occurredAt: new Date().toISOString()
			},
			{
				id: uuidv7(),
				customerId: '000000',
				amountKopecks: 100_000,
				occurredAt: new Date().toISOString()
			}
		];
		const { status, body } = await post('payments.sync', { deviceId, operations }, ctx);
		expect(status).toBe(200);
		const data = (body as unknown as { result: { data: { json: unknown; meta?: unknown } } }).result
			.data;
		// No superjson annotations: the answer is plain JSON...
		expect(data).not.toHaveProperty('meta');
		// ...so superjson itself would have sent the very same thing, and the client decodes it as is.
		expect(superjson.serialize(data.json)).toEqual({ json: data.json });
		expect(superjson.deserialize(data as Parameters<typeof superjson.deserialize>[0])).toEqual([
			{
				id: operations[0]!.id,
				outcome: 'accepted',
				operation: expect.objectContaining({ cashbackKopecks: 10_000 })
			},
			{ id: operations[1]!.id, outcome: 'rejected', reason: 'unknown_customer' }
		]);
	});
});
