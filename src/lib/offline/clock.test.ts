import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SyncOutcome } from '../../../server/services/payment-sync';
import { CLOCK_WARN_MS, serverClock, ServerClock } from './clock';
import { closeCounterDb, DB_NAME } from './db';
import type { SyncBatch } from './engine';
import { saveIdentity } from './identity';
import { enqueueOperation, listOutbox } from './outbox';
import { listSynced } from './synced';
import { correctedTime, drainCounterOutbox } from './sync';

describe('ServerClock', () => {
	it('takes the offset from the midpoint of the round trip', () => {
		const clock = new ServerClock(() => 10_000);
		expect(clock.offsetMs()).toBeNull();
		expect(clock.now()).toBe(10_000);
		// Sent at 1000, back at 1100: the server's 5050 was taken at about 1050.
		clock.observe(5050, 1000, 1100);
		expect(clock.offsetMs()).toBe(4000);
		expect(clock.now()).toBe(14_000);
	});

	it('prefers the answer with the shortest round trip', () => {
		const clock = new ServerClock();
		clock.observe(1_000_050, 0, 100); // offset 1_000_000 ± 50
		clock.observe(1_000_900, 200, 1800); // a slow answer: offset 999_900 ± 800
		expect(clock.offsetMs()).toBe(1_000_000);
	});

	it('forgets old samples when the device clock was changed', () => {
		const clock = new ServerClock();
		clock.observe(3_600_000 + 50, 0, 100);
		expect(clock.offsetMs()).toBe(3_600_000);
		// Someone fixed the device clock: now it agrees with the server, to within 10 ms.
		clock.observe(10_000_010, 10_000_000 - 20, 10_000_000 + 20);
		expect(clock.offsetMs()).toBe(10);
	});

	it('reads the precise header, and falls back to the Date header (whole seconds)', () => {
		const clock = new ServerClock();
		clock.observeResponse(new Headers({ 'x-kopek-time': '2000' }), 900, 1100);
		expect(clock.offsetMs()).toBe(1000);
		const coarse = new ServerClock();
		coarse.observeResponse(
			new Headers({ date: new Date(Date.UTC(2026, 11, 1, 10, 0, 0)).toUTCString() }),
			Date.UTC(2026, 11, 1, 10, 0, 0) - 3 * 3600_000,
			Date.UTC(2026, 11, 1, 10, 0, 0) - 3 * 3600_000
		);
		expect(coarse.offsetMs()).toBe(3 * 3600_000 + 500);
		expect(coarse.estimate()!.rttMs).toBe(1000);
	});

	it('keeps its estimate on the device for a counter reloaded offline', async () => {
		const stored: unknown[] = [];
		const clock = new ServerClock();
		await clock.enablePersistence(
			async () => undefined,
			async (e) => void stored.push(e)
		);
		clock.observe(60_050, 0, 100);
		expect(stored).toEqual([{ offsetMs: 60_000, rttMs: 100, at: 100 }]);
		const reloaded = new ServerClock();
		await reloaded.enablePersistence(async () => stored[0] as never);
		expect(reloaded.offsetMs()).toBe(60_000);
	});

	it('never corrects a refused future time past the server’s now', () => {
		const clock = new ServerClock(() => 1_000_000);
		clock.observe(1_000_000 - 600_000, 1_000_000, 1_000_000); // the device is 10 min ahead
		const op = { occurredAt: new Date(1_000_000).toISOString() };
		expect(correctedTime(op as never, clock)).toBe(new Date(400_000).toISOString());
		expect(correctedTime({ occurredAt: new Date(2_000_000).toISOString() } as never, clock)).toBe(
			new Date(400_000).toISOString()
		);
	});
});

/** As `FUTURE_TOLERANCE_MS` in server/services/payment-sync.ts (browser code may not import it). */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/** A server in memory with the real one's rules that matter here: idempotent IDs, time bounds. */
function fakeServer(now: () => number) {
	const stored = new Map<string, { occurredAt: string; amountKopecks: number }>();
	let calls = 0;
	const mutate = async (batch: SyncBatch): Promise<SyncOutcome[]> => {
		calls++;
		const sentAt = Date.now();
		const answer = batch.operations.map((op): SyncOutcome => {
			const existing = stored.get(op.id);
			const operation = {
				customerName: 'Иванов Иван',
				amountKopecks: op.amountKopecks,
				rateBp: 1000,
				cashbackKopecks: Math.round(op.amountKopecks / 10),
				recordedAt: new Date(now()).toISOString()
			};
			if (existing) return { id: op.id, outcome: 'duplicate', operation };
			if (Date.parse(op.occurredAt) > now() + FUTURE_TOLERANCE_MS)
				return { id: op.id, outcome: 'rejected', reason: 'occurred_in_future' };
			stored.set(op.id, { occurredAt: op.occurredAt, amountKopecks: op.amountKopecks });
			return { id: op.id, outcome: 'accepted', operation };
		});
		// Every answer carries the server's clock (the observing fetch does this in the app).
		serverClock.observe(now(), sentAt, Date.now());
		return answer;
	};
	return { stored, mutate, calls: () => calls };
}

describe('a counter whose clock is wrong', () => {
	const REAL = Date.parse('2026-12-01T12:00:00.000Z');

	beforeEach(async () => {
		await closeCounterDb();
		await new Promise<void>((resolve) => {
			const request = indexedDB.deleteDatabase(DB_NAME);
			request.onsuccess = () => resolve();
		});
		await saveIdentity({
			userId: 'u1',
			email: 'company@example.test',
			role: 'company',
			locale: 'ru',
			company: { id: 7, name: 'Albixe', status: 'active', timeZone: 'Europe/Moscow', rateBp: 1000 }
		});
	});
	afterEach(async () => {
		vi.useRealTimers();
		await closeCounterDb();
	});

	for (const [label, skewMs] of [
		['3 hours behind', -3 * 3600_000],
		['10 minutes ahead', 10 * 60_000]
	] as const) {
		it(`${label}: each payment is stored once, at the server's time`, async () => {
			vi.useFakeTimers({ toFake: ['Date'] });
			vi.setSystemTime(REAL + skewMs);
			const realNow = () => Date.now() - skewMs;
			const server = fakeServer(realNow);

			// One answer (the identity check, in the app) teaches the counter the offset.
			serverClock.observe(realNow(), Date.now(), Date.now());
			expect(Math.abs(serverClock.offsetMs()! + skewMs)).toBeLessThan(5);
			expect(Math.abs(serverClock.offsetMs()!)).toBeGreaterThan(CLOCK_WARN_MS);

			const op = await enqueueOperation({
				deviceId: '0190a000-0000-7000-8000-00000000000d',
				companyId: 7,
				customerId: '123455',
				customerName: null,
				amountKopecks: 50_000,
				rateBp: 1000
			});
			expect(Math.abs(Date.parse(op.occurredAt) - realNow())).toBeLessThan(50);
			// The device's own clock is kept for audit.
			expect(Math.abs(Date.parse(op.deviceOccurredAt!) - (realNow() + skewMs))).toBeLessThan(50);

			await drainCounterOutbox(server.mutate);
			await drainCounterOutbox(server.mutate);
			expect(server.stored.size).toBe(1);
			const [stored] = [...server.stored.values()];
			expect(Math.abs(Date.parse(stored!.occurredAt) - REAL)).toBeLessThan(1000);
			expect(await listOutbox()).toEqual([]);
			expect(await listSynced()).toHaveLength(1);
		});
	}

	it('10 minutes ahead and never told the server’s time: refused as future, retimed, stored once', async () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		const skewMs = 10 * 60_000;
		vi.setSystemTime(REAL + skewMs);
		const realNow = () => Date.now() - skewMs;
		const fresh = new ServerClock();
		// This realm has never heard the server: the payment carries the device's time.
		vi.spyOn(serverClock, 'offsetMs').mockImplementation(() => fresh.offsetMs());
		vi.spyOn(serverClock, 'now').mockImplementation(() => fresh.now());
		const server = fakeServer(realNow);
		const observe = server.mutate;
		const op = await enqueueOperation({
			deviceId: '0190a000-0000-7000-8000-00000000000d',
			companyId: 7,
			customerId: '123455',
			customerName: null,
			amountKopecks: 50_000,
			rateBp: 1000
		});
		expect(Date.parse(op.occurredAt)).toBe(REAL + skewMs);
		await drainCounterOutbox(async (batch) => {
			const answer = await observe(batch);
			fresh.observe(realNow(), Date.now(), Date.now());
			return answer;
		});
		expect(server.stored.size).toBe(1);
		expect(Math.abs(Date.parse([...server.stored.values()][0]!.occurredAt) - REAL)).toBeLessThan(
			1000
		);
		expect(await listOutbox()).toEqual([]);
		vi.restoreAllMocks();
	});
});
