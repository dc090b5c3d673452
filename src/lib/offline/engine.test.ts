import { describe, expect, it } from 'vitest';
import type { SyncOutcome } from '../../../server/services/payment-sync';
import type { OutboxOperation } from './db';
import {
	drainOutbox,
	SyncCallError,
	type DrainOptions,
	type OutboxStore,
	type SyncBatch
} from './engine';
import { MAX_FAILED_IN_A_ROW } from './split';
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
		async markAttempted(ids, serverFailure) {
			for (const id of ids) {
				const op = items.get(id)!;
				op.attempts++;
				if (serverFailure) op.serverFailures = (op.serverFailures ?? 0) + 1;
			}
		},
		async retimeOperation(id, occurredAt) {
			const op = items.get(id)!;
			Object.assign(op, { occurredAt, retimedFrom: op.occurredAt });
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

/** Drains as the scheduler would: again after each failure, until one drain ends well. */
async function drainUntilDone(options: DrainOptions, maxDrains = 10) {
	const errors: SyncCallError[] = [];
	for (let i = 0; i < maxDrains; i++) {
		try {
			return { result: await drainOutbox(options), errors };
		} catch (error) {
			if (!(error instanceof SyncCallError)) throw error;
			errors.push(error);
		}
	}
	return { result: null, errors };
}

/** A server with a bug: any batch carrying `poisoned` fails with a 500, whole. */
function breaksOn(poisoned: ReadonlySet<string>, calls: SyncBatch[] = []) {
	return async (batch: SyncBatch) => {
		calls.push(batch);
		if (batch.operations.some((op) => poisoned.has(op.id)))
			throw new SyncCallError('server', '500');
		return accept(batch);
	};
}

describe('a poisoned operation', () => {
	it('is found after three 5xx in a row, parked with its reason, and the rest syncs', async () => {
		const ops = makeOps(300);
		const poisoned = ops[137]!;
		const store = memoryStore(ops);
		const calls: SyncBatch[] = [];
		const { result, errors } = await drainUntilDone({
			companyId: 1,
			store,
			transport: breaksOn(new Set([poisoned.id]), calls)
		});
		// Two failed drains, then the third failure of the same batch splits it at once.
		expect(errors.map((e) => e.kind)).toEqual(['server', 'server']);
		expect(result).toEqual({ sent: 300, acknowledged: 299, attention: 1 });
		expect([...store.items.values()]).toEqual([
			expect.objectContaining({ id: poisoned.id, status: 'rejected', reason: 'server_error' })
		]);
		// Halving costs a few calls, not one per operation.
		expect(calls.length).toBeLessThan(30);
	});

	it('is isolated at once when the server refuses it as malformed, 200 ops or not', async () => {
		const ops = makeOps(250);
		ops[220]!.customerId = '12345\u0000';
		const store = memoryStore(ops);
		const { result, errors } = await drainUntilDone({
			companyId: 1,
			store,
			transport: async (batch) => {
				if (batch.operations.some((op) => op.customerId.includes('\u0000')))
					throw new SyncCallError('malformed', 'BAD_REQUEST');
				return accept(batch);
			}
		});
		expect(errors).toEqual([]);
		expect(result?.acknowledged).toBe(249);
		expect([...store.items.values()].map((op) => [op.status, op.reason])).toEqual([
			['rejected', 'malformed']
		]);
	});

	it('is never confused with a server that is temporarily unavailable (503)', async () => {
		const store = memoryStore(makeOps(20));
		let calls = 0;
		const { result, errors } = await drainUntilDone({
			companyId: 1,
			store,
			transport: async () => {
				calls++;
				throw new SyncCallError('unavailable', '503', 30_000);
			}
		});
		expect(result).toBeNull();
		expect(errors).toHaveLength(10);
		expect(errors[0]!.retryAfterMs).toBe(30_000);
		// One call per drain: never split, never parked, every operation still waiting.
		expect(calls).toBe(10);
		expect([...store.items.values()].every((op) => op.status === 'waiting')).toBe(true);
		expect([...store.items.values()].every((op) => !op.serverFailures)).toBe(true);
	});

	it('parks nothing when the server fails on every call (an outage answering 500)', async () => {
		const store = memoryStore(makeOps(200));
		let calls = 0;
		const { result } = await drainUntilDone(
			{
				companyId: 1,
				store,
				transport: async () => {
					calls++;
					throw new SyncCallError('server', '500');
				}
			},
			5
		);
		expect(result).toBeNull();
		expect([...store.items.values()].every((op) => op.status === 'waiting')).toBe(true);
		// Each splitting drain stops after a bounded number of failed calls.
		expect(calls).toBeLessThanOrEqual(2 + 3 * (MAX_FAILED_IN_A_ROW + 1));
	});

	it('parks nothing when the server breaks mid-search, and keeps what was answered', async () => {
		const ops = makeOps(64);
		const store = memoryStore(ops);
		const poisoned = new Set([ops[40]!.id]);
		let answered = 0;
		const transport = async (batch: SyncBatch) => {
			// After a few good answers the whole server starts failing with 500.
			if (answered >= 2 || batch.operations.some((op) => poisoned.has(op.id)))
				throw new SyncCallError('server', '500');
			answered++;
			return accept(batch);
		};
		await drainUntilDone({ companyId: 1, store, transport }, 4);
		const left = [...store.items.values()];
		expect(left.every((op) => op.status === 'waiting')).toBe(true);
		expect(left.length).toBeLessThan(64);
		expect(left.map((op) => op.id)).toContain(ops[40]!.id);
	});

	it('alone in the outbox is not blamed until another operation proves the server works', async () => {
		const [poisoned] = makeOps(1);
		const store = memoryStore([poisoned!]);
		const transport = breaksOn(new Set([poisoned!.id]));
		const first = await drainUntilDone({ companyId: 1, store, transport }, 5);
		expect(first.result).toBeNull();
		expect(store.items.get(poisoned!.id)!.status).toBe('waiting');

		const [next] = makeOps(2).slice(1);
		store.items.set(next!.id, { ...next! });
		const second = await drainUntilDone({ companyId: 1, store, transport });
		expect(second.result).toEqual({ sent: 2, acknowledged: 1, attention: 1 });
		expect(store.items.get(poisoned!.id)).toMatchObject({
			status: 'rejected',
			reason: 'server_error'
		});
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
