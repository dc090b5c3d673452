import { describe, expect, it } from 'vitest';
import { drainOutbox, SyncCallError, type SyncBatch } from './engine';
import { accept, DEVICE, makeOps, memoryStore } from './engine.fixtures';

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

	it('on a throttled batch (429: the lookup limit) keeps every operation and tries halves', async () => {
		const store = memoryStore(makeOps(8));
		const sizes: number[] = [];
		// The company's lookup budget covers at most 2 operations per call just now.
		const transport = async (batch: SyncBatch) => {
			sizes.push(batch.operations.length);
			if (batch.operations.length > 2) throw new SyncCallError('throttled', '429', 60_000);
			return accept(batch);
		};
		const result = await drainOutbox({ companyId: 1, store, transport });
		expect(sizes).toEqual([8, 4, 2, 2, 2, 2]);
		expect(result.acknowledged).toBe(8);
		expect(store.items.size).toBe(0);

		// Throttled even alone: the drain stops with the error (the scheduler retries later),
		// nothing parked, nothing lost.
		const kept = memoryStore(makeOps(3));
		const error = await drainOutbox({
			companyId: 1,
			store: kept,
			transport: async () => {
				throw new SyncCallError('throttled', '429', 60_000);
			}
		}).catch((e: unknown) => e);
		expect((error as SyncCallError).kind).toBe('throttled');
		expect([...kept.items.values()].map((op) => op.status)).toEqual([
			'waiting',
			'waiting',
			'waiting'
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
		ops[3]!.customerId = '12345\u0000';
		const store = memoryStore(ops);
		await drainOutbox({
			companyId: 1,
			store,
			transport: async (batch) => {
				if (batch.operations.some((op) => op.customerId.includes('\u0000')))
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

describe('an operation stamped in the future', () => {
	const future = (batch: SyncBatch, now: number) =>
		batch.operations.map((op) =>
			Date.parse(op.occurredAt) > now + 5 * 60_000
				? { id: op.id, outcome: 'rejected' as const, reason: 'occurred_in_future' as const }
				: accept({ ...batch, operations: [op] })[0]!
		);

	it('is retimed by the server clock once and stored, never silently dropped', async () => {
		const now = 1_700_000_000_000;
		const ops = makeOps(3);
		ops[1]!.occurredAt = new Date(now + 10 * 60_000).toISOString();
		const store = memoryStore(ops);
		const sent: string[] = [];
		const result = await drainOutbox({
			companyId: 1,
			store,
			transport: async (batch) => {
				sent.push(...batch.operations.map((op) => `${op.id.slice(-1)}@${op.occurredAt}`));
				return future(batch, now);
			},
			retimeFuture: (op) => new Date(Date.parse(op.occurredAt) - 10 * 60_000).toISOString()
		});
		expect(result).toEqual({ sent: 4, acknowledged: 3, attention: 0 });
		expect(store.items.size).toBe(0);
		expect(sent.at(-1)).toBe(`1@${new Date(now).toISOString()}`);
	});

	it('goes to a person when the corrected time is still refused', async () => {
		const now = 1_700_000_000_000;
		const ops = makeOps(1, { occurredAt: new Date(now + 60 * 60_000).toISOString() });
		const store = memoryStore(ops);
		await drainOutbox({
			companyId: 1,
			store,
			transport: async (batch) => future(batch, now),
			retimeFuture: (op) => new Date(Date.parse(op.occurredAt) - 60_000).toISOString()
		});
		expect([...store.items.values()]).toEqual([
			expect.objectContaining({ status: 'rejected', reason: 'occurred_in_future' })
		]);
	});
});
