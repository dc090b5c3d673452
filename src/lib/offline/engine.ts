import type { RejectReason, SyncOutcome } from '../../../server/services/payment-sync';
import type { OutboxOperation } from './db';
import type { DrainProgress } from './events';
import type { LocalOutcome } from './outbox';

/** Largest batch `payments.sync` takes. */
export const SYNC_BATCH_SIZE = 200;

/** What goes over the wire for one batch: one device's operations. */
export interface SyncBatch {
	deviceId: string;
	operations: { id: string; customerId: string; amountKopecks: number; occurredAt: string }[];
}

/**
 * Why a whole call failed. `network` and `server` (5xx, timeouts, garbled answers) are
 * transient: retry later. `unauthorized`: the session is gone; retry once someone signs in
 * again. `malformed`: the server refuses the input itself (400); `forbidden`: this user
 * may not sync at all.
 */
export type FailureKind = 'network' | 'server' | 'unauthorized' | 'malformed' | 'forbidden';

export class SyncCallError extends Error {
	constructor(
		readonly kind: FailureKind,
		message: string
	) {
		super(message);
		this.name = 'SyncCallError';
	}
}

/** Sends one batch; resolves with one outcome per operation or throws `SyncCallError`. */
export type SyncTransport = (batch: SyncBatch) => Promise<SyncOutcome[]>;

/** The outbox as the engine uses it (IndexedDB in the app, anything in tests). */
export interface OutboxStore {
	listWaiting(companyId: number, limit: number): Promise<OutboxOperation[]>;
	countWaiting(companyId: number): Promise<number>;
	applyOutcomes(outcomes: readonly LocalOutcome[]): Promise<unknown>;
	markAttempted(ids: readonly string[]): Promise<void>;
}

export interface DrainOptions {
	companyId: number;
	store: OutboxStore;
	transport: SyncTransport;
	batchSize?: number;
	onProgress?: (progress: DrainProgress) => void;
	/** Called with the device of a `device_not_registered` answer (it must register again). */
	onDeviceRejected?: (deviceId: string) => void | Promise<void>;
}

export interface DrainResult {
	sent: number;
	acknowledged: number;
	attention: number;
}

function toWire(op: OutboxOperation) {
	return {
		id: op.id,
		customerId: op.customerId,
		amountKopecks: op.amountKopecks,
		occurredAt: op.occurredAt
	};
}

/** Checks that an answer really answers the batch: same length, same IDs, same order. */
function checkAnswer(batch: readonly OutboxOperation[], answer: unknown): SyncOutcome[] {
	if (
		!Array.isArray(answer) ||
		answer.length !== batch.length ||
		answer.some((o: SyncOutcome, i) => o?.id !== batch[i]?.id)
	) {
		throw new SyncCallError('server', 'the answer does not match the batch');
	}
	return answer as SyncOutcome[];
}

/**
 * Sends the company's waiting operations, oldest first, in batches of one device's
 * operations, until none waits. Each batch's answers are applied durably before the next is
 * sent. A `rejected` or `conflict` answer parks that operation for a person and never holds
 * back the ones behind it. A failure of the whole call throws `SyncCallError` (the caller
 * retries later), except a 400 on a batch, which is split so that only the operations the
 * server cannot parse are parked (as `malformed`).
 */
export async function drainOutbox(options: DrainOptions): Promise<DrainResult> {
	const { companyId, store, transport } = options;
	const batchSize = options.batchSize ?? SYNC_BATCH_SIZE;
	const result: DrainResult = { sent: 0, acknowledged: 0, attention: 0 };
	let total = await store.countWaiting(companyId);
	let done = 0;
	let previousFirst: string | undefined;

	for (;;) {
		const waiting = await store.listWaiting(companyId, batchSize);
		const first = waiting[0];
		if (!first) break;
		// The answers of the previous round changed nothing: stop rather than spin.
		if (first.id === previousFirst) {
			throw new SyncCallError('server', 'the outbox did not advance');
		}
		previousFirst = first.id;
		const batch = waiting.filter((op) => op.deviceId === first.deviceId);
		const outcomes = await sendBatch(batch, transport, store);
		const counts = countOutcomes(outcomes);
		await store.applyOutcomes(outcomes);
		if (
			options.onDeviceRejected &&
			outcomes.some((o) => o.outcome === 'rejected' && o.reason === 'device_not_registered')
		) {
			await options.onDeviceRejected(first.deviceId);
		}
		result.sent += batch.length;
		result.acknowledged += counts.acknowledged;
		result.attention += counts.attention;
		done += batch.length;
		total = Math.max(total, done + (await store.countWaiting(companyId)));
		options.onProgress?.({ done, total });
	}
	return result;
}

function countOutcomes(outcomes: readonly LocalOutcome[]) {
	let acknowledged = 0;
	for (const o of outcomes)
		if (o.outcome === 'accepted' || o.outcome === 'duplicate') acknowledged++;
	return { acknowledged, attention: outcomes.length - acknowledged };
}

async function sendBatch(
	batch: readonly OutboxOperation[],
	transport: SyncTransport,
	store: OutboxStore
): Promise<LocalOutcome[]> {
	const deviceId = batch[0]!.deviceId;
	try {
		return checkAnswer(batch, await transport({ deviceId, operations: batch.map(toWire) }));
	} catch (error) {
		if (!(error instanceof SyncCallError)) throw error;
		if (error.kind !== 'malformed') {
			await store.markAttempted(batch.map((op) => op.id));
			throw error;
		}
		if (batch.length === 1) return [{ id: batch[0]!.id, outcome: 'rejected', reason: 'malformed' }];
		// Halve until the operations the server cannot parse are isolated.
		const middle = Math.ceil(batch.length / 2);
		return [
			...(await sendBatch(batch.slice(0, middle), transport, store)),
			...(await sendBatch(batch.slice(middle), transport, store))
		];
	}
}

export type { RejectReason };
