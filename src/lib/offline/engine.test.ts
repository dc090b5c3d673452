import { describe, expect, it } from 'vitest';
import type { SyncOutcome } from '../../../server/services/payment-sync';
import type { OutboxOperation } from './db';
import { drainOutbox, SyncCallError, type OutboxStore, type SyncBatch } from './engine';
import type { LocalOutcome } from './outbox';

const DEVICE = 'd0000000-0000-4000-8000-000000000001';

/** An in-memory outbox with the IndexedDB module's semantics. */
function memoryStore(ops: OutboxOperation[]) {
	const items = new Map(ops.map((op) => [op.id, { ...op }]));
	const store: OutboxStore & { items: typeof items } = {
		items,
		async listWaiting(companyId, limit) {
			return [...items.values()]
				.filter((op) => op.status === 'waiting' && op.companyId === companyId)
				.sort((a, b) => (a.id < b.id ? -1 : 1))
				.slice(0, limit);
		},
		async countWaiting(companyId) {
			return (await store.listWaiting(companyId, Infinity)).length;
		},
		async applyOutcomes(outcomes: readonly LocalOutcome[]) {
			for (const o of outcomes) {
				const op = items.get(o.id);
				if (!op) continue;
				if (o.outcome === 'rejected') Object.assign(op, { status: 'rejected', reason: o.reason });
				else if (o.outcome === 'conflict') op.status = 'conflict';
				else items.delete(o.id);
			}
		},
		async markAttempted(ids) {
			for (const id of ids) items.get(id)!.attempts++;
		}
	};
	return store;
}

function makeOps(count: number, overrides: Partial<OutboxOperation> = {}): OutboxOperation[] {
	return Array.from({ length: count }, (_, i) => ({
		id: `0190a000-0000-7000-8000-${String(i).padStart(12, '0')}`,
		deviceId: DEVICE,
		companyId: 1,
		customerId: '123455',
		customerName: null,
		amountKopecks: 100 + i,
		occurredAt: new Date(1_700_000_000_000 + i).toISOString(),
		provisionalCashbackKopecks: 10,
		rateBp: 1000,
		status: 'waiting' as const,
		attempts: 0,
		...overrides
	}));
}

function accept(batch: SyncBatch): SyncOutcome[] {
	return batch.operations.map((op) => ({
		id: op.id,
		outcome: 'accepted' as const,
		operation: {
			...op,
			customerName: 'Иванов Иван',
			rateBp: 1000,
			cashbackKopecks: 10,
			recordedAt: op.occurredAt
		}
	}));
}

describe('drainOutbox', () => {
	it('sends everything in batches of at most 200 and reports progress', async () => {
		const store = memoryStore(makeOps(450));
		const sizes: number[] = [];
		const progress: string[] = [];
		const result = await drainOutbox({
			companyId: 1,
			store,
			transport: async (batch) => {
				sizes.push(batch.operations.length);
				return accept(batch);
			},
			onProgress: (p) => progress.push(`${p.done}/${p.total}`)
		});
		expect(sizes).toEqual([200, 200, 50]);
		expect(progress).toEqual(['200/450', '400/450', '450/450']);
		expect(result).toEqual({ sent: 450, acknowledged: 450, attention: 0 });
		expect(store.items.size).toBe(0);
	});

	it('never lets a permanent refusal hold back the operations behind it', async () => {
		const store = memoryStore(makeOps(5));
		const result = await drainOutbox({
			companyId: 1,
			store,
			batchSize: 2,
			transport: async (batch) =>
				batch.operations.map((op, i) =>
					i === 0
						? { id: op.id, outcome: 'rejected' as const, reason: 'unknown_customer' as const }
						: accept({ ...batch, operations: [op] })[0]!
				)
		});
		expect(result.acknowledged + result.attention).toBe(5);
		expect([...store.items.values()].every((op) => op.status === 'rejected')).toBe(true);
		expect(await store.countWaiting(1)).toBe(0);
	});

	it('keeps everything on a transient failure and says so', async () => {
		const store = memoryStore(makeOps(3));
		const error = await drainOutbox({
			companyId: 1,
			store,
			transport: async () => {
				throw new SyncCallError('server', '502');
			}
		}).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(SyncCallError);
		expect((error as SyncCallError).kind).toBe('server');
		expect([...store.items.values()].map((op) => [op.status, op.attempts])).toEqual([
			['waiting', 1],
			['waiting', 1],
			['waiting', 1]
		]);
	});

	it('treats an answer that does not match the batch as a server failure', async () => {
		const store = memoryStore(makeOps(2));
		const error = await drainOutbox({
			companyId: 1,
			store,
			transport: async (batch) => accept(batch).slice(0, 1)
		}).catch((e: unknown) => e);
		expect((error as SyncCallError).kind).toBe('server');
		expect(store.items.size).toBe(2);
	});

	it('isolates an operation the server cannot parse instead of blocking the rest', async () => {
		const ops = makeOps(5);
		ops[3]!.amountKopecks = 1.5;
		const store = memoryStore(ops);
		await drainOutbox({
			companyId: 1,
			store,
			transport: async (batch) => {
				if (batch.operations.some((op) => !Number.isInteger(op.amountKopecks)))
					throw new SyncCallError('malformed', '400');
				return accept(batch);
			}
		});
		expect([...store.items.values()].map((op) => [op.id, op.status, op.reason])).toEqual([
			[ops[3]!.id, 'rejected', 'malformed']
		]);
	});

	it('sends one device per batch and only the company’s own operations', async () => {
		const other = 'd0000000-0000-4000-8000-000000000002';
		const ops = [
			...makeOps(2),
			...makeOps(2).map((op, i) => ({
				...op,
				id: op.id.replace(/.$/, String(5 + i)),
				deviceId: other
			})),
			...makeOps(1).map((op) => ({ ...op, id: op.id.replace(/.$/, '9'), companyId: 2 }))
		];
		const store = memoryStore(ops);
		const devices: string[] = [];
		const rejectedDevices: string[] = [];
		await drainOutbox({
			companyId: 1,
			store,
			transport: async (batch) => {
				devices.push(batch.deviceId);
				if (batch.deviceId === other)
					return batch.operations.map((op) => ({
						id: op.id,
						outcome: 'rejected' as const,
						reason: 'device_not_registered' as const
					}));
				return accept(batch);
			},
			onDeviceRejected: (id) => void rejectedDevices.push(id)
		});
		expect(devices).toEqual([DEVICE, other]);
		expect(rejectedDevices).toEqual([other]);
		expect([...store.items.values()].map((op) => op.companyId)).toEqual([1, 1, 2]);
	});
});
