import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeCounterDb, DB_NAME } from './db';
import { cacheCustomers } from './identity';
import { forgetLookups, lookUpCustomer, LOOKUP_FRESH_MS } from './customer-lookup';

vi.mock('../trpc', () => ({ trpc: {} }));

const names: Record<string, string> = { '123455': 'Иванов Иван', '765438': 'Петрова Мария' };

/** A server that allows `limit` lookups, then answers TOO_MANY_REQUESTS as issue 7 says. */
function limitedServer(limit: number) {
	let calls = 0;
	const query = async (customerId: string) => {
		calls++;
		if (calls > limit) {
			throw Object.assign(new Error('Слишком много запросов'), {
				data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429 },
				meta: { response: { headers: new Headers({ 'retry-after': '60' }) } }
			});
		}
		const name = names[customerId];
		return name ? { customerId, name } : null;
	};
	return { query, calls: () => calls };
}

beforeEach(async () => {
	forgetLookups();
	await closeCounterDb();
	await new Promise<void>((resolve) => {
		const request = indexedDB.deleteDatabase(DB_NAME);
		request.onsuccess = () => resolve();
	});
});
afterEach(closeCounterDb);

describe('customer lookups within the server’s limit', () => {
	it('asks the server once for a customer served again and again', async () => {
		const server = limitedServer(60);
		for (let i = 0; i < 100; i++) {
			const result = await lookUpCustomer(1, '123455', { query: server.query, online: true });
			expect(result).toEqual({ kind: 'found', name: 'Иванов Иван', verified: true });
		}
		expect(server.calls()).toBe(1);
	});

	it('remembers an unknown ID for a minute (unknown IDs count against the limit too)', async () => {
		const server = limitedServer(60);
		let t = 1_000_000;
		const opts = { query: server.query, online: true, now: () => t };
		expect(await lookUpCustomer(1, '111112', opts)).toEqual({ kind: 'unknown' });
		expect((await lookUpCustomer(1, '111112', opts)).kind).toBe('unknown');
		expect(server.calls()).toBe(1);
		t += 61_000;
		await lookUpCustomer(1, '111112', opts);
		expect(server.calls()).toBe(2);
	});

	it('uses customers cached from the server recently without asking', async () => {
		const server = limitedServer(0);
		await cacheCustomers(1, [{ id: '765438', name: 'Петрова Мария' }]);
		expect(await lookUpCustomer(1, '765438', { query: server.query, online: true })).toEqual({
			kind: 'found',
			name: 'Петрова Мария',
			verified: true
		});
		expect(server.calls()).toBe(0);
	});

	it('once refused, says so, keeps the cashier working and waits before asking again', async () => {
		const server = limitedServer(1);
		let t = Date.now();
		const opts = { query: server.query, online: true, now: () => t };
		await lookUpCustomer(1, '123455', opts);
		// The 2nd distinct customer is refused: the payment goes on, checked at sync.
		expect(await lookUpCustomer(1, '246801', opts)).toEqual({
			kind: 'unverified',
			throttled: true
		});
		// While refused (Retry-After: 60 s) the server is not asked at all.
		t += 30_000;
		expect(await lookUpCustomer(1, '765438', opts)).toEqual({
			kind: 'unverified',
			throttled: true
		});
		expect(server.calls()).toBe(2);
		t += 31_000;
		await lookUpCustomer(1, '765438', opts);
		expect(server.calls()).toBe(3);
	});

	it('names a cached customer while refused, as not verified now', async () => {
		const server = limitedServer(0);
		await cacheCustomers(1, [{ id: '765438', name: 'Петрова Мария' }]);
		// well past the freshness window of the entry just cached (taken after it, with margin)
		const stale = Date.now() + LOOKUP_FRESH_MS + 1_000;
		expect(
			await lookUpCustomer(1, '765438', { query: server.query, online: true, now: () => stale })
		).toEqual({ kind: 'found', name: 'Петрова Мария', verified: false });
		expect(server.calls()).toBe(1);
	});
});
