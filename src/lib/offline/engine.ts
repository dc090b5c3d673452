import type { RejectReason, SyncOutcome } from '../../../server/services/payment-sync';
import type { OutboxOperation } from './db';
import type { DrainProgress } from './events';
import type { LocalOutcome } from './outbox';
import { isolateFailing, type SplitRun } from './split';

/** Largest batch `payments.sync` takes. */
export const SYNC_BATCH_SIZE = 200;

/** What goes over the wire for one batch: one device's operations. */
export interface SyncBatch {
	deviceId: string;
	operations: {
		id: string;
		customerId: string;
		amountKopecks: number;
		occurredAt: string;
		cashierId?: string;
		shiftId?: string;
	}[];
}

/**
 * Why a whole call failed. `network` (no answer) and `unavailable` (503, 502, 504, 408: the
 * server says "later", often with Retry-After) are transient: retry later, never blame an
 * operation. `throttled` (429) too: the company's lookup limit cannot cover the unknown
 * customers of the batch now (SPEC C16); smaller batches are tried first (`drainOutbox`). `server` (500 and other server errors, garbled answers) is retried too, but a
 * batch that keeps failing with it is split to find an operation that breaks the server.
 * `malformed`: the server refuses the input itself (400, 413, 422): the batch is split at
 * once. `unauthorized`: the session is gone; retry once someone signs in again.
 * `forbidden`: this user may not sync at all.
 */
export type FailureKind =
	'network' | 'unavailable' | 'throttled' | 'server' | 'unauthorized' | 'malformed' | 'forbidden';

export class SyncCallError extends Error {
	constructor(
		readonly kind: FailureKind,
		message: string,
		/** The server's Retry-After, when it gave one. */
		readonly retryAfterMs?: number
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
	/** Counts a send without an answer; `serverFailure` when the server failed on it (5xx). */
	markAttempted(ids: readonly string[], serverFailure?: boolean): Promise<void>;
	/** Gives a waiting operation a corrected time (see `DrainOptions.retimeFuture`). */
	retimeOperation?(id: string, occurredAt: string): Promise<void>;
	/**
	 * The company's most recently acknowledged operation, as it was sent, if the device still
	 * remembers one: sent again (idempotent) it proves the server reads well-formed input.
	 */
	lastSynced?(companyId: number): Promise<WireOperation | null>;
}

/** What `toWire` needs of an operation: the fields sent, and the device they are sent for. */
export type WireOperation = Pick<
	OutboxOperation,
	'id' | 'deviceId' | 'customerId' | 'amountKopecks' | 'occurredAt' | 'cashierId' | 'shiftId'
>;

export interface DrainOptions {
	companyId: number;
	store: OutboxStore;
	transport: SyncTransport;
	batchSize?: number;
	onProgress?: (progress: DrainProgress) => void;
	/** Called with the device of a `device_not_registered` answer (it must register again). */
	onDeviceRejected?: (deviceId: string) => void | Promise<void>;
	/**
	 * For an operation refused as `occurred_in_future` (the device clock ran ahead): its time
	 * by the server's clock, or null to leave it to a person. Tried once per operation; the ID
	 * stays, which is safe because a refused operation was never stored.
	 */
	retimeFuture?: (op: OutboxOperation) => string | null;
}

export interface DrainResult {
	sent: number;
	acknowledged: number;
	attention: number;
}

export function toWire(op: WireOperation) {
	return {
		id: op.id,
		customerId: op.customerId,
		amountKopecks: op.amountKopecks,
		occurredAt: op.occurredAt,
		// Sent only when present: the admin's counter sends exactly what it sent before.
		...(op.cashierId ? { cashierId: op.cashierId, shiftId: op.shiftId } : {})
	};
}

/** Checks that an answer really answers the batch: same length, same IDs, same order. */
export function checkAnswer(batch: readonly { id: string }[], answer: unknown): SyncOutcome[] {
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
 * operations, until none waits. Each answer is applied durably before the next call. A
 * `rejected` or `conflict` answer parks that operation for a person and never holds back
 * the ones behind it. A transient failure of the whole call throws `SyncCallError` (the
 * caller retries later). A batch the server refuses as malformed (400), or fails on with a
 * server error three times in a row, is split (halves, then single operations) so that only
 * the operations that fail alone are parked — and only once the server has answered another
 * call (see `confirmIsolated`), so an outage never parks anything (see `split.ts`).
 */
export async function drainOutbox(options: DrainOptions): Promise<DrainResult> {
	const { companyId, store } = options;
	const batchSize = options.batchSize ?? SYNC_BATCH_SIZE;
	const result: DrainResult = { sent: 0, acknowledged: 0, attention: 0 };
	let total = await store.countWaiting(companyId);
	let done = 0;
	/** Operations with a final answer in this drain: seeing one waiting again means no progress. */
	const answered = new Set<string>();
	/** Operations retimed in this drain: the next answer for them is final. */
	const retimed = new Set<string>();

	const settle = async (batch: readonly OutboxOperation[], outcomes: readonly SyncOutcome[]) => {
		const final: LocalOutcome[] = [];
		const retimes: { id: string; occurredAt: string }[] = [];
		outcomes.forEach((outcome, i) => {
			const op = batch[i]!;
			if (
				outcome.outcome === 'rejected' &&
				outcome.reason === 'occurred_in_future' &&
				options.retimeFuture &&
				store.retimeOperation &&
				!op.retimedFrom &&
				!retimed.has(op.id)
			) {
				const occurredAt = options.retimeFuture(op);
				if (occurredAt && occurredAt !== op.occurredAt) {
					retimes.push({ id: op.id, occurredAt });
					return;
				}
			}
			final.push(outcome);
		});
		await store.applyOutcomes(final);
		for (const r of retimes) {
			await store.retimeOperation!(r.id, r.occurredAt);
			retimed.add(r.id);
		}
		if (
			options.onDeviceRejected &&
			final.some((o) => o.outcome === 'rejected' && o.reason === 'device_not_registered')
		) {
			await options.onDeviceRejected(batch[0]!.deviceId);
		}
		recordFinal(final);
	};

	const recordFinal = (final: readonly LocalOutcome[]) => {
		for (const o of final) {
			answered.add(o.id);
			if (o.outcome === 'accepted' || o.outcome === 'duplicate') result.acknowledged++;
			else result.attention++;
		}
		done += final.length;
	};

	const run: SplitRun = {
		transport: options.transport,
		store,
		settle,
		isolated: new Map(),
		lastAnswered: null,
		lastError: null
	};

	// Halved after a throttled batch: the lookup limit may cover a smaller one's unknown
	// customers (one never exceeding the per-minute limit always fits once the window frees).
	let size = batchSize;
	for (;;) {
		const skip = run.isolated;
		const listed = await store.listWaiting(companyId, size + skip.size);
		const waiting = listed.filter((op) => !skip.has(op.id)).slice(0, size);
		const first = waiting[0];
		if (!first) break;
		// An answer applied in this drain did not change the outbox: stop rather than spin.
		if (waiting.some((op) => answered.has(op.id))) {
			throw new SyncCallError('server', 'the outbox did not advance');
		}
		const batch = waiting.filter((op) => op.deviceId === first.deviceId);
		result.sent += batch.length;
		try {
			await isolateFailing(run, batch);
		} catch (error) {
			if (!(error instanceof SyncCallError && error.kind === 'throttled' && batch.length > 1))
				throw error;
			size = Math.ceil(batch.length / 2);
			continue;
		}
		total = Math.max(total, done + (await store.countWaiting(companyId)) - skip.size);
		options.onProgress?.({ done, total });
	}

	if (run.isolated.size > 0) {
		const parked = await confirmIsolated(run, companyId);
		await store.applyOutcomes(parked);
		recordFinal(parked);
		options.onProgress?.({ done, total: Math.max(total, done) });
	}
	return result;
}

/**
 * The operations that failed alone are parked only if the server still answers a call it
 * has answered before (the last operation answered in this drain, sent again: idempotent, it
 * changes nothing on the server). Otherwise the server itself is failing: keep them all.
 *
 * With no answer in this drain (the operation waited alone, or the page was closed between a
 * split's halves), operations refused as malformed are checked against the company's last
 * acknowledged operation instead: the server answering it shows it reads well-formed input,
 * so the refusal was about the operation. Server errors are not: a server that answers known
 * operations but fails on every new one (a missing partition, say) would park them all.
 */
async function confirmIsolated(run: SplitRun, companyId: number): Promise<LocalOutcome[]> {
	const error = run.lastError ?? new SyncCallError('server', 'the server failed on every call');
	const isolated = [...run.isolated];
	let probe: WireOperation | null = run.lastAnswered;
	if (!probe && isolated.every(([, reason]) => reason === 'malformed')) {
		probe = (await run.store.lastSynced?.(companyId)) ?? null;
	}
	if (!probe) throw error;
	try {
		checkAnswer(
			[probe],
			await run.transport({ deviceId: probe.deviceId, operations: [toWire(probe)] })
		);
	} catch (probeError) {
		throw probeError instanceof SyncCallError ? probeError : error;
	}
	return isolated.map(([id, reason]) => ({ id, outcome: 'rejected', reason }));
}

export type { RejectReason };
