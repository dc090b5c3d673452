import type { SyncOutcome } from '../../../server/services/payment-sync';
import type { OutboxOperation } from './db';
import type { OutboxStore, SyncBatch, WireOperation } from './engine';
import type { LocalOutcome } from './outbox';

/* The engine's unit tests' outbox, operations and server (engine.test.ts, split.test.ts). */

export const DEVICE = 'd0000000-0000-4000-8000-000000000001';

/** An in-memory outbox with the IndexedDB module's semantics. */
export function memoryStore(ops: OutboxOperation[], synced: WireOperation[] = []) {
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
		},
		async lastSynced() {
			return synced.at(-1) ?? null;
		}
	};
	return store;
}

export function makeOps(
	count: number,
	overrides: Partial<OutboxOperation> = {}
): OutboxOperation[] {
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

export function accept(batch: SyncBatch): SyncOutcome[] {
	return batch.operations.map((op) => ({
		id: op.id,
		outcome: 'accepted' as const,
		operation: {
			...op,
			rateBp: 1000,
			cashbackKopecks: 10,
			recordedAt: op.occurredAt
		}
	}));
}
