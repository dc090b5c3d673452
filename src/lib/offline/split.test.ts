import { describe, expect, it } from 'vitest';
import { drainOutbox, SyncCallError, type DrainOptions, type SyncBatch } from './engine';
import { accept, makeOps, memoryStore } from './engine.fixtures';
import { MAX_FAILED_IN_A_ROW } from './split';

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

	it('alone and malformed, it is parked once the last acknowledged one is answered again', async () => {
		// The page was closed between a split's halves: the good half synced, the bad one waits.
		const [good, bad] = makeOps(2);
		bad!.customerId = '12345\u0000';
		const store = memoryStore([bad!], [good!]);
		const calls: SyncBatch[] = [];
		const result = await drainOutbox({
			companyId: 1,
			store,
			transport: async (batch) => {
				calls.push(batch);
				if (batch.operations.some((op) => op.customerId.includes('\u0000')))
					throw new SyncCallError('malformed', 'BAD_REQUEST');
				return accept(batch);
			}
		});
		expect(result).toEqual({ sent: 1, acknowledged: 0, attention: 1 });
		expect(calls.map((c) => c.operations.map((op) => op.id))).toEqual([[bad!.id], [good!.id]]);
		expect(store.items.get(bad!.id)).toMatchObject({ status: 'rejected', reason: 'malformed' });
	});

	it('alone and malformed, it waits when nothing acknowledged can be asked again, or that fails', async () => {
		const [good, bad] = makeOps(2);
		bad!.customerId = '12345\u0000';
		const refuse = async (batch: SyncBatch) => {
			if (batch.operations.some((op) => op.customerId.includes('\u0000')))
				throw new SyncCallError('malformed', 'BAD_REQUEST');
			throw new SyncCallError('unavailable', '503');
		};
		for (const synced of [[], [good!]]) {
			const store = memoryStore([bad!], synced);
			await expect(drainOutbox({ companyId: 1, store, transport: refuse })).rejects.toThrow(
				SyncCallError
			);
			expect(store.items.get(bad!.id)!.status).toBe('waiting');
		}
	});

	it('alone and failing with a server error, an acknowledged one answered again does not park it', async () => {
		// A server that answers known operations but fails on every new one (a missing
		// partition) must not get each new payment parked.
		const [good, poisoned] = makeOps(2);
		const store = memoryStore([{ ...poisoned!, serverFailures: 5 }], [good!]);
		const calls: SyncBatch[] = [];
		await expect(
			drainOutbox({ companyId: 1, store, transport: breaksOn(new Set([poisoned!.id]), calls) })
		).rejects.toThrow(SyncCallError);
		expect(store.items.get(poisoned!.id)!.status).toBe('waiting');
		expect(calls.flatMap((c) => c.operations.map((op) => op.id))).not.toContain(good!.id);
	});
});
