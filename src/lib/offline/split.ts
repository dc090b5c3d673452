import type { SyncOutcome } from '../../../server/services/payment-sync';
import type { OutboxOperation } from './db';
import { checkAnswer, SyncCallError, toWire, type OutboxStore, type SyncTransport } from './engine';

/** A batch whose operations failed this many server errors (5xx) in a row is split. */
export const SPLIT_AFTER_SERVER_FAILURES = 3;
/** How many times an operation is sent alone before it counts as failing alone. */
export const ALONE_TRIES = 2;
/**
 * Failed calls in a row, while splitting, after which the engine stops and retries later:
 * that many failures with no answer between them look like a failing server, not like
 * poisoned operations (the cost of one drain against a broken server stays bounded).
 */
export const MAX_FAILED_IN_A_ROW = 30;

/** Why an operation that fails alone is parked. */
export type IsolationReason = 'server_error' | 'malformed';

/** The state of one drain's search for operations that fail alone. */
export interface SplitRun {
	transport: SyncTransport;
	store: OutboxStore;
	/** Applies a batch's answers durably (the engine's bookkeeping). */
	settle(batch: readonly OutboxOperation[], outcomes: readonly SyncOutcome[]): Promise<void>;
	/** Operations that failed alone in this drain, with why: parked once the server is proven up. */
	isolated: Map<string, IsolationReason>;
	/** The last operation the server answered in this drain (the probe that it still works). */
	lastAnswered: OutboxOperation | null;
	lastError: SyncCallError | null;
	failedInARow?: number;
}

/**
 * Sends one batch and applies its answers. A batch the server refuses as malformed, or fails
 * on with a server error for the third time in a row (counted per operation, across drains),
 * is split in halves down to single operations; a single operation that still fails (twice,
 * for a server error) is recorded in `run.isolated` and the search goes on with the others.
 * Any other failure (network, unavailable, session) is thrown: the whole drain stops and is
 * retried later, and nothing is blamed on an operation.
 */
export async function isolateFailing(
	run: SplitRun,
	batch: readonly OutboxOperation[],
	splitting = false,
	tries = 1
): Promise<void> {
	let outcomes: SyncOutcome[];
	try {
		outcomes = checkAnswer(
			batch,
			await run.transport({ deviceId: batch[0]!.deviceId, operations: batch.map(toWire) })
		);
	} catch (error) {
		if (!(error instanceof SyncCallError)) throw error;
		const serverFailure = error.kind === 'server';
		const split =
			error.kind === 'malformed' ||
			(serverFailure &&
				(splitting ||
					batch.some((op) => (op.serverFailures ?? 0) + 1 >= SPLIT_AFTER_SERVER_FAILURES)));
		if (error.kind !== 'malformed') {
			await run.store.markAttempted(
				batch.map((op) => op.id),
				serverFailure
			);
		}
		if (!split) throw error;
		run.lastError = error;
		run.failedInARow = (run.failedInARow ?? 0) + 1;
		if (run.failedInARow > MAX_FAILED_IN_A_ROW) throw error;
		if (batch.length === 1) {
			if (serverFailure && tries < ALONE_TRIES) return isolateFailing(run, batch, true, tries + 1);
			run.isolated.set(batch[0]!.id, serverFailure ? 'server_error' : 'malformed');
			return;
		}
		const middle = Math.ceil(batch.length / 2);
		await isolateFailing(run, batch.slice(0, middle), true);
		await isolateFailing(run, batch.slice(middle), true);
		return;
	}
	run.failedInARow = 0;
	run.lastAnswered = batch[batch.length - 1]!;
	await run.settle(batch, outcomes);
}
