import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeCounterDb, DB_NAME } from './db';
import { subscribeOutbox } from './events';
import {
	applyOutcomes,
	countOutbox,
	countWaiting,
	dismissOperation,
	enqueueOperation,
	listNeedsAttention,
	listOutbox,
	listWaiting,
	reenterOperation,
	type NewPayment
} from './outbox';
import type { StoredOperation } from '../../../server/services/payment-sync';
import { lastSynced, listSynced } from './synced';

const DEVICE = '0190a000-0000-7000-8000-000000000001';

function payment(overrides: Partial<NewPayment> = {}): NewPayment {
	return {
		deviceId: DEVICE,
		companyId: 1,
		customerId: '123455',
		customerName: 'Иванов Иван',
		amountKopecks: 12_345,
		rateBp: 1000,
		...overrides
	};
}

function stored(_id: string, cashbackKopecks = 1235): StoredOperation {
	return {
		amountKopecks: 12_345,
		rateBp: 1000,
		cashbackKopecks,
		recordedAt: new Date().toISOString()
	};
}

async function resetDatabase() {
	await closeCounterDb();
	await new Promise<void>((resolve, reject) => {
		const request = indexedDB.deleteDatabase(DB_NAME);
		request.onsuccess = () => resolve();
		request.onerror = () => reject(request.error);
	});
}

beforeEach(resetDatabase);
afterEach(closeCounterDb);

describe('the outbox', () => {
	it('keeps a payment with a device-made UUID v7 and the provisional cashback', async () => {
		const op = await enqueueOperation(payment());
		expect(op.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(op).toMatchObject({ status: 'waiting', provisionalCashbackKopecks: 1235, attempts: 0 });
		expect(await listOutbox()).toEqual([op]);
	});

	it('survives closing and reopening the database (a reload)', async () => {
		const op = await enqueueOperation(payment());
		await closeCounterDb();
		expect(await listOutbox()).toEqual([op]);
	});

	it('lists oldest first, and waiting ones per company', async () => {
		const a = await enqueueOperation(payment());
		const b = await enqueueOperation(payment({ companyId: 2 }));
		const c = await enqueueOperation(payment({ amountKopecks: 1 }));
		expect((await listOutbox()).map((o) => o.id)).toEqual([a.id, b.id, c.id]);
		expect((await listWaiting(1, 10)).map((o) => o.id)).toEqual([a.id, c.id]);
		expect((await listWaiting(1, 1)).map((o) => o.id)).toEqual([a.id]);
		expect(await countWaiting(1)).toBe(2);
	});

	it('lets an operation go only on accepted or duplicate, and parks refused ones', async () => {
		const accepted = await enqueueOperation(payment());
		const duplicate = await enqueueOperation(payment());
		const rejected = await enqueueOperation(payment({ customerId: '111111' }));
		const conflict = await enqueueOperation(payment());
		await applyOutcomes([
			{ id: accepted.id, outcome: 'accepted', operation: stored(accepted.id, 999) },
			{ id: duplicate.id, outcome: 'duplicate', operation: stored(duplicate.id) },
			{ id: rejected.id, outcome: 'rejected', reason: 'unknown_customer' },
			{ id: conflict.id, outcome: 'conflict' }
		]);
		const left = await listOutbox();
		expect(left.map((o) => [o.id, o.status, o.reason])).toEqual([
			[rejected.id, 'rejected', 'unknown_customer'],
			[conflict.id, 'conflict', 'conflict']
		]);
		expect(await listNeedsAttention()).toHaveLength(2);
		expect(await countWaiting(1)).toBe(0);
		const synced = await listSynced();
		expect(synced.map((s) => s.id).sort()).toEqual([accepted.id, duplicate.id].sort());
		expect(synced.find((s) => s.id === accepted.id)?.cashbackKopecks).toBe(999);
	});

	it('ignores answers for operations it no longer holds', async () => {
		const op = await enqueueOperation(payment());
		await applyOutcomes([{ id: op.id, outcome: 'accepted', operation: stored(op.id) }]);
		await applyOutcomes([{ id: op.id, outcome: 'conflict' }]);
		expect(await countOutbox()).toBe(0);
	});

	it("gives the company's newest acknowledged operation back as it was sent", async () => {
		expect(await lastSynced(1)).toBeNull();
		const older = await enqueueOperation(payment());
		const newer = await enqueueOperation(payment({ customerId: '765438' }));
		const other = await enqueueOperation(payment({ companyId: 2 }));
		const at = (ms: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, 0, ms));
		await applyOutcomes(
			[{ id: newer.id, outcome: 'accepted', operation: stored(newer.id) }],
			at(2)
		);
		await applyOutcomes(
			[{ id: older.id, outcome: 'duplicate', operation: stored(older.id) }],
			at(1)
		);
		await applyOutcomes(
			[{ id: other.id, outcome: 'accepted', operation: stored(other.id) }],
			at(3)
		);
		expect(await lastSynced(1)).toEqual({
			id: newer.id,
			deviceId: DEVICE,
			customerId: '765438',
			amountKopecks: 12_345,
			occurredAt: newer.occurredAt,
			cashierId: undefined,
			shiftId: undefined
		});
		expect((await lastSynced(2))?.id).toBe(other.id);
		expect(await lastSynced(3)).toBeNull();
	});

	it('dismisses only operations needing attention', async () => {
		const waiting = await enqueueOperation(payment());
		const refused = await enqueueOperation(payment());
		await applyOutcomes([{ id: refused.id, outcome: 'rejected', reason: 'too_old' }]);
		await dismissOperation(waiting.id);
		await dismissOperation(refused.id);
		expect((await listOutbox()).map((o) => o.id)).toEqual([waiting.id]);
	});

	it('re-enters a refused operation as a new one with the original time and amount', async () => {
		const refused = await enqueueOperation(
			payment({ customerId: '111111', occurredAt: new Date('2026-01-02T03:04:05Z') })
		);
		await applyOutcomes([{ id: refused.id, outcome: 'rejected', reason: 'unknown_customer' }]);
		const replacement = await reenterOperation(refused.id, {
			customerId: '765438',
			customerName: 'Петрова Мария',
			deviceId: DEVICE
		});
		expect(replacement).toMatchObject({
			customerId: '765438',
			amountKopecks: 12_345,
			occurredAt: '2026-01-02T03:04:05.000Z',
			status: 'waiting'
		});
		expect(replacement!.id).not.toBe(refused.id);
		expect((await listOutbox()).map((o) => o.id)).toEqual([replacement!.id]);
	});

	it('tells subscribers about every change', async () => {
		let calls = 0;
		const unsubscribe = subscribeOutbox(() => calls++);
		const op = await enqueueOperation(payment());
		await applyOutcomes([{ id: op.id, outcome: 'rejected', reason: 'too_old' }]);
		await dismissOperation(op.id);
		unsubscribe();
		await enqueueOperation(payment());
		expect(calls).toBe(3);
	});
});
