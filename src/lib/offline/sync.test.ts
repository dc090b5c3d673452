import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncOutcome } from '../../../server/services/payment-sync';
import { closeCounterDb, DB_NAME } from './db';
import { SyncCallError, type SyncBatch } from './engine';
import { subscribe, type CounterEvent } from './events';
import { getDevice, getLastSyncAt, saveDevice, saveIdentity } from './identity';
import { enqueueOperation, listOutbox } from './outbox';
import { listSynced } from './synced';
import { drainCounterOutbox } from './sync';
import { createObservingFetch, HttpStatusError, parseRetryAfter } from './server-fetch';
import { ServerClock } from './clock';
import { createSyncTransport, failureKindOf, retryAfterOf } from './transport';

const DEVICE = '0190a000-0000-7000-8000-00000000000d';

async function resetDatabase() {
	await closeCounterDb();
	await new Promise<void>((resolve, reject) => {
		const request = indexedDB.deleteDatabase(DB_NAME);
		request.onsuccess = () => resolve();
		request.onerror = () => reject(request.error);
	});
}

async function signIn(companyId = 7) {
	await saveIdentity({
		userId: 'u1',
		email: 'company@example.test',
		role: 'company',
		locale: 'ru',
		company: {
			id: companyId,
			name: 'Albixe',
			status: 'active',
			timeZone: 'Europe/Moscow',
			rateBp: 1000
		}
	});
}

function accepting(batch: SyncBatch): SyncOutcome[] {
	return batch.operations.map((op) => ({
		id: op.id,
		outcome: 'accepted',
		operation: {
			customerName: 'Иванов Иван',
			amountKopecks: op.amountKopecks,
			rateBp: 1000,
			cashbackKopecks: Math.round(op.amountKopecks / 10),
			recordedAt: new Date().toISOString()
		}
	}));
}

async function queue(count: number, companyId = 7) {
	for (let i = 0; i < count; i++) {
		await enqueueOperation({
			deviceId: DEVICE,
			companyId,
			customerId: '123455',
			customerName: null,
			amountKopecks: 1000 + i,
			rateBp: 1000
		});
	}
}

beforeEach(resetDatabase);
afterEach(closeCounterDb);

describe('drainCounterOutbox', () => {
	it('sends nothing for nobody signed in', async () => {
		await queue(2);
		let calls = 0;
		const result = await drainCounterOutbox(async (batch) => {
			calls++;
			return accepting(batch);
		});
		expect(calls).toBe(0);
		expect(result.sent).toBe(0);
		expect(await listOutbox()).toHaveLength(2);
	});

	it('drains the signed-in company, keeps the server’s figures and records the sync', async () => {
		await signIn();
		await queue(3);
		const events: CounterEvent[] = [];
		const stop = subscribe((e) => events.push(e));
		const result = await drainCounterOutbox(async (batch) => accepting(batch));
		stop();
		expect(result).toEqual({ sent: 3, acknowledged: 3, attention: 0 });
		expect(await listOutbox()).toEqual([]);
		expect((await listSynced()).map((s) => s.cashbackKopecks).sort()).toEqual([100, 100, 100]);
		expect(await getLastSyncAt()).not.toBeNull();
		expect(events.some((e) => e.type === 'sync-finished' && e.ok)).toBe(true);
	});

	it('does not count an empty drain as a sync', async () => {
		await signIn();
		await drainCounterOutbox(async (batch) => accepting(batch));
		expect(await getLastSyncAt()).toBeNull();
	});

	it('says when the session is gone, and keeps every operation', async () => {
		await signIn();
		await queue(2);
		const events: CounterEvent[] = [];
		const stop = subscribe((e) => events.push(e));
		const error = await drainCounterOutbox(async () => {
			throw Object.assign(new Error('UNAUTHORIZED'), {
				data: { code: 'UNAUTHORIZED', httpStatus: 401 }
			});
		}).catch((e: unknown) => e);
		stop();
		expect((error as SyncCallError).kind).toBe('unauthorized');
		expect(events).toContainEqual(
			expect.objectContaining({ type: 'sync-finished', ok: false, unauthorized: true })
		);
		expect((await listOutbox()).map((op) => op.status)).toEqual(['waiting', 'waiting']);
	});

	it('forgets a terminal the server does not know, so the counter registers again', async () => {
		await signIn();
		await saveDevice(7, { deviceId: DEVICE, name: 'Касса 1' });
		await queue(1);
		await drainCounterOutbox(async (batch) =>
			batch.operations.map((op) => ({
				id: op.id,
				outcome: 'rejected',
				reason: 'device_not_registered'
			}))
		);
		expect(await getDevice(7)).toBeNull();
		expect((await listOutbox()).map((op) => op.reason)).toEqual(['device_not_registered']);
	});
});

describe('the tRPC transport', () => {
	it('classifies failures: network, 5xx, 503/429/408, 401, 403, 400', () => {
		expect(failureKindOf(new TypeError('fetch failed'))).toBe('network');
		expect(failureKindOf({ data: { code: 'INTERNAL_SERVER_ERROR', httpStatus: 500 } })).toBe(
			'server'
		);
		// "Later, please" is never blamed on an operation: no split, no parking.
		for (const [code, httpStatus] of [
			['SERVICE_UNAVAILABLE', 503],
			['TIMEOUT', 408],
			['GATEWAY_TIMEOUT', 504]
		] as const) {
			expect(failureKindOf({ data: { code, httpStatus } })).toBe('unavailable');
		}
		// The lookup limit (SPEC C16): later too, told apart so the counter can say why.
		expect(failureKindOf({ data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429 } })).toBe(
			'throttled'
		);
		expect(failureKindOf({ cause: new HttpStatusError(429, null) })).toBe('throttled');
		expect(failureKindOf({ data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 } })).toBe(
			'malformed'
		);
		expect(failureKindOf({ data: { code: 'NOT_FOUND', httpStatus: 404 } })).toBe('server');
		// A proxy's or the framework's HTML page keeps its status through the observing fetch.
		expect(failureKindOf({ cause: new HttpStatusError(502, null) })).toBe('unavailable');
		expect(failureKindOf({ cause: new HttpStatusError(500, null) })).toBe('server');
		expect(failureKindOf({ data: { code: 'UNAUTHORIZED', httpStatus: 401 } })).toBe('unauthorized');
		expect(failureKindOf({ data: { code: 'FORBIDDEN', httpStatus: 403 } })).toBe('forbidden');
		expect(failureKindOf({ data: { code: 'BAD_REQUEST', httpStatus: 400 } })).toBe('malformed');
	});

	it('reads Retry-After from a tRPC answer or from a page, in seconds or as a date', async () => {
		const headers = new Headers({ 'retry-after': '7' });
		expect(retryAfterOf({ meta: { response: { headers } } })).toBe(7000);
		expect(retryAfterOf({ cause: new HttpStatusError(503, 12_000) })).toBe(12_000);
		expect(retryAfterOf(new Error('x'))).toBeUndefined();
		const now = Date.parse('2026-12-01T10:00:00Z');
		expect(parseRetryAfter('Tue, 01 Dec 2026 10:00:30 GMT', now)).toBe(30_000);
		expect(parseRetryAfter('soon', now)).toBeNull();

		const transport = createSyncTransport(async () => {
			throw Object.assign(new Error('down'), {
				data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503 },
				meta: { response: { headers } }
			});
		});
		const error = (await transport({ deviceId: DEVICE, operations: [] }).catch(
			(e: unknown) => e
		)) as SyncCallError;
		expect([error.kind, error.retryAfterMs]).toEqual(['unavailable', 7000]);
	});

	it('learns the server clock from every answer and keeps an HTML error’s status', async () => {
		let deviceNow = 1_000_000;
		const clock = new ServerClock(() => deviceNow);
		const observing = createObservingFetch(clock, async () => {
			deviceNow += 40; // a 40 ms round trip
			return new Response('<h1>500</h1>', {
				status: 500,
				headers: { 'content-type': 'text/html', 'x-kopek-time': String(1_000_000 + 3_600_020) }
			});
		});
		const error = await observing('/api/trpc/payments.sync').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(HttpStatusError);
		expect((error as HttpStatusError).status).toBe(500);
		expect(clock.offsetMs()).toBe(3_600_000);
	});

	it('gives up on a call that hangs, as a network failure', async () => {
		const transport = createSyncTransport(
			(_batch, { signal }) =>
				new Promise((_, reject) =>
					signal.addEventListener('abort', () => reject(new Error('aborted')))
				),
			20
		);
		const error = await transport({ deviceId: DEVICE, operations: [] }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(SyncCallError);
		expect((error as SyncCallError).kind).toBe('network');
	});
});
