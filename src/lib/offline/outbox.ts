import { computeCashback } from '../domain/money';
import { uuidv7 } from '../domain/uuid';
import type { SyncOutcome } from '../../../server/services/payment-sync';
import { serverClock } from './clock';
import { counterDb, type OutboxOperation } from './db';
import { notifyOutboxChanged } from './events';
import { StorageRefusal, writeWithin } from './storage';

/**
 * A server outcome, or the device's own verdict on an operation that fails alone: the server
 * cannot parse it (`malformed`) or breaks on it (`server_error`); it would block every retry.
 */
export type LocalOutcome =
	SyncOutcome | { id: string; outcome: 'rejected'; reason: 'malformed' | 'server_error' };

/** How many acknowledged operations the device keeps for display (newest first). */
const SYNCED_KEEP = 200;

export interface NewPayment {
	deviceId: string;
	companyId: number;
	customerId: string;
	customerName: string | null;
	amountKopecks: number;
	rateBp: number;
	/** Defaults to now; a re-entered operation keeps the time of the original payment. */
	occurredAt?: Date;
	/** The shift's cashier at a paired terminal (SPEC C10). */
	cashier?: { cashierId: string; cashierName: string; shiftId: string };
}

function buildOperation(input: NewPayment): OutboxOperation {
	const deviceNow = serverClock.deviceTime();
	const offset = serverClock.offsetMs();
	// A new payment is stamped with the server's time as the device knows it (its own clock
	// may be hours off); a re-entered one keeps the time of the original payment.
	const serverNow = deviceNow + (offset ?? 0);
	const occurredAt = input.occurredAt ?? new Date(serverNow);
	return {
		// By the server's clock too: the server refuses an ID whose time is beyond the bounds
		// of an operation's time (src/lib/domain/operation-id.ts).
		id: uuidv7(serverNow),
		deviceId: input.deviceId,
		companyId: input.companyId,
		customerId: input.customerId,
		customerName: input.customerName,
		amountKopecks: input.amountKopecks,
		occurredAt: occurredAt.toISOString(),
		...(input.occurredAt
			? {}
			: { deviceOccurredAt: new Date(deviceNow).toISOString(), clockOffsetMs: offset }),
		provisionalCashbackKopecks: computeCashback(input.amountKopecks, input.rateBp),
		rateBp: input.rateBp,
		status: 'waiting',
		attempts: 0,
		...(input.cashier ?? {})
	};
}

/**
 * Puts a new payment into the outbox and resolves only once the write is durable: after
 * this the payment is the device's responsibility until the server acknowledges it. A write
 * the browser refuses (storage full, private mode) or that does not finish in time rejects
 * with a `StorageRefusal`, and then nothing was stored: the payment must not be shown as done.
 */
export async function enqueueOperation(input: NewPayment): Promise<OutboxOperation> {
	await serverClock.ready();
	const operation = buildOperation(input);
	await writeWithin(
		async () => {
			const db = await counterDb();
			return db.transaction('outbox', 'readwrite', { durability: 'strict' });
		},
		(tx) => tx.store.add(operation)
	);
	notifyOutboxChanged();
	return operation;
}

export { StorageRefusal };

/** Every operation not yet acknowledged by the server, oldest first. */
export async function listOutbox(): Promise<OutboxOperation[]> {
	// Keys are UUID v7: key order is creation order.
	return (await counterDb()).getAll('outbox');
}

/** How many operations the outbox holds (waiting and needing attention alike). */
export async function countOutbox(): Promise<number> {
	return (await counterDb()).count('outbox');
}

/** The oldest waiting operations of one company, at most `limit`, oldest first. */
export async function listWaiting(companyId: number, limit: number): Promise<OutboxOperation[]> {
	// Within one index key, entries are in primary-key (creation) order.
	return (await counterDb()).getAllFromIndex(
		'outbox',
		'byCompanyStatus',
		[companyId, 'waiting'],
		limit
	);
}

/** How many operations of one company wait to be sent. */
export async function countWaiting(companyId: number): Promise<number> {
	return (await counterDb()).countFromIndex('outbox', 'byCompanyStatus', [companyId, 'waiting']);
}

/** Operations the server refused for good: they wait for a person. */
export async function listNeedsAttention(): Promise<OutboxOperation[]> {
	const all = await listOutbox();
	return all.filter((op) => op.status !== 'waiting');
}

/**
 * Applies the server's answers in one durable transaction: `accepted` and `duplicate` leave
 * the outbox (their authoritative figures are kept in `synced`), `rejected` and `conflict`
 * stay as needing attention. An answer for an operation no longer in the outbox (another
 * loop got there first) changes nothing.
 */
export async function applyOutcomes(outcomes: readonly LocalOutcome[], now = new Date()) {
	const db = await counterDb();
	const tx = db.transaction(['outbox', 'synced'], 'readwrite', { durability: 'strict' });
	const outbox = tx.objectStore('outbox');
	const synced = tx.objectStore('synced');
	const counts = { acknowledged: 0, attention: 0 };
	// Requests are issued together, not one round trip each: a batch is up to 200 answers.
	const current = await Promise.all(outcomes.map((outcome) => outbox.get(outcome.id)));
	const writes: Promise<unknown>[] = [];
	outcomes.forEach((outcome, i) => {
		const op = current[i];
		if (!op) return;
		if (outcome.outcome === 'rejected') {
			writes.push(outbox.put({ ...op, status: 'rejected', reason: outcome.reason }));
			counts.attention++;
		} else if (outcome.outcome === 'conflict') {
			writes.push(outbox.put({ ...op, status: 'conflict', reason: 'conflict' }));
			counts.attention++;
		} else {
			const stored = outcome.operation;
			writes.push(
				synced.put({
					id: op.id,
					deviceId: op.deviceId,
					companyId: op.companyId,
					customerId: op.customerId,
					// The name the counter showed when it took it: the answer carries none (SPEC C16).
					customerName: op.customerName,
					amountKopecks: stored.amountKopecks,
					occurredAt: op.occurredAt,
					...(op.deviceOccurredAt ? { deviceOccurredAt: op.deviceOccurredAt } : {}),
					rateBp: stored.rateBp,
					cashbackKopecks: stored.cashbackKopecks,
					recordedAt: stored.recordedAt,
					syncedAt: now.toISOString(),
					...(op.cashierId
						? { cashierId: op.cashierId, cashierName: op.cashierName, shiftId: op.shiftId }
						: {})
				})
			);
			writes.push(outbox.delete(op.id));
			counts.acknowledged++;
		}
	});
	await Promise.all(writes);
	// Keep only the newest acknowledged operations: they are for display, the server has them.
	let excess = (await synced.count()) - SYNCED_KEEP;
	let cursor = excess > 0 ? await synced.index('bySyncedAt').openCursor() : null;
	while (cursor && excess > 0) {
		await cursor.delete();
		excess--;
		cursor = await cursor.continue();
	}
	await tx.done;
	if (outcomes.length > 0) notifyOutboxChanged();
	return counts;
}

/**
 * Counts a send without a final answer (for display and diagnosis); `serverFailure` when the
 * server failed on it, which the engine counts to find operations that break the server.
 */
export async function markAttempted(ids: readonly string[], serverFailure = false): Promise<void> {
	const db = await counterDb();
	const tx = db.transaction('outbox', 'readwrite');
	const current = await Promise.all(ids.map((id) => tx.store.get(id)));
	await Promise.all(
		current.map((op) =>
			op
				? tx.store.put({
						...op,
						attempts: op.attempts + 1,
						serverFailures: (op.serverFailures ?? 0) + (serverFailure ? 1 : 0)
					})
				: undefined
		)
	);
	await tx.done;
}

/**
 * The server refused a waiting operation as in the future (the device clock ran ahead): it
 * gets the corrected time and waits again, with the time it was first sent kept for audit.
 */
export async function retimeOperation(id: string, occurredAt: string): Promise<void> {
	const db = await counterDb();
	const tx = db.transaction('outbox', 'readwrite', { durability: 'strict' });
	const op = await tx.store.get(id);
	if (op && op.status === 'waiting' && !op.retimedFrom) {
		await tx.store.put({ ...op, occurredAt, retimedFrom: op.occurredAt });
	}
	await tx.done;
	notifyOutboxChanged();
}

/**
 * A person sends an operation parked after server errors once more, unchanged (same ID, so
 * it cannot be counted twice even if the server had stored it).
 */
export async function retryOperation(id: string): Promise<void> {
	const db = await counterDb();
	const tx = db.transaction('outbox', 'readwrite', { durability: 'strict' });
	const op = await tx.store.get(id);
	if (op && op.status === 'rejected' && op.reason === 'server_error') {
		const { reason: _reason, ...rest } = op;
		await tx.store.put({ ...rest, status: 'waiting', serverFailures: 0 });
	}
	await tx.done;
	notifyOutboxChanged();
}

/** A person dismissed an operation needing attention: it leaves the device. */
export async function dismissOperation(id: string): Promise<void> {
	const db = await counterDb();
	const tx = db.transaction('outbox', 'readwrite', { durability: 'strict' });
	const op = await tx.store.get(id);
	if (op && op.status !== 'waiting') await tx.store.delete(id);
	await tx.done;
	notifyOutboxChanged();
}

/**
 * A person corrected the customer ID of a refused operation: a new operation (new ID, the
 * original time and amount) replaces it, in one durable transaction.
 */
export async function reenterOperation(
	id: string,
	correction: { customerId: string; customerName: string | null; deviceId: string }
): Promise<OutboxOperation | null> {
	const db = await counterDb();
	const tx = db.transaction('outbox', 'readwrite', { durability: 'strict' });
	const old = await tx.store.get(id);
	if (!old || old.status === 'waiting') {
		await tx.done;
		return null;
	}
	const replacement = buildOperation({
		deviceId: correction.deviceId,
		companyId: old.companyId,
		customerId: correction.customerId,
		customerName: correction.customerName,
		amountKopecks: old.amountKopecks,
		rateBp: old.rateBp,
		occurredAt: new Date(old.occurredAt),
		// The same person took it; only the customer ID was wrong.
		cashier:
			old.cashierId && old.shiftId
				? { cashierId: old.cashierId, cashierName: old.cashierName ?? '', shiftId: old.shiftId }
				: undefined
	});
	if (old.deviceOccurredAt) replacement.deviceOccurredAt = old.deviceOccurredAt;
	await tx.store.delete(id);
	await tx.store.add(replacement);
	await tx.done;
	notifyOutboxChanged();
	return replacement;
}
