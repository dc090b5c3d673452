import type { SyncOutcome } from '../../../server/services/payment-sync';
import { serverClock, type ServerClock } from './clock';
import type { OutboxOperation } from './db';
import { drainOutbox, type DrainResult, type SyncBatch } from './engine';
import { publish } from './events';
import { forgetDevice, getCachedIdentity, setLastSyncAt } from './identity';
import { applyOutcomes, countWaiting, listWaiting, markAttempted, retimeOperation } from './outbox';
import { lastSynced } from './synced';
import { SYNC_LOCK_NAME, type LockManagerLike } from './scheduler';
import { createSyncTransport } from './transport';

/** The tag under which pages register Background Sync and the service worker answers it. */
export const BACKGROUND_SYNC_TAG = 'kopek-outbox';

export type SyncMutate = (
	batch: SyncBatch,
	options: { signal: AbortSignal }
) => Promise<SyncOutcome[]>;

/** The Web Locks API of this realm (window or worker), if it has one. */
export function webLocks(): LockManagerLike | null {
	const locks = (globalThis.navigator as Navigator | undefined)?.locks;
	if (!locks) return null;
	return { request: (name, callback) => locks.request(name, callback) };
}

/**
 * The time of an operation the server refused as in the future: the device's own time of it
 * corrected by the server's offset as known now (the answer that refused it taught it), and
 * never later than the server's now. Null while the server's clock is unknown.
 */
export function correctedTime(
	op: OutboxOperation,
	clock: ServerClock = serverClock
): string | null {
	const offset = clock.offsetMs();
	if (offset === null) return null;
	const deviceTime = Date.parse(op.deviceOccurredAt ?? op.occurredAt);
	if (!Number.isFinite(deviceTime)) return null;
	return new Date(Math.min(deviceTime + offset, clock.now())).toISOString();
}

/**
 * One drain of the IndexedDB outbox for the company of the cached identity, shared by the
 * pages and the service worker: progress and the end are broadcast to every tab.
 */
export async function drainCounterOutbox(mutate: SyncMutate): Promise<DrainResult> {
	const identity = await getCachedIdentity();
	const companyId = identity?.company.id;
	if (companyId === undefined) return { sent: 0, acknowledged: 0, attention: 0 };
	try {
		const result = await drainOutbox({
			companyId,
			store: {
				listWaiting,
				countWaiting,
				applyOutcomes,
				markAttempted,
				retimeOperation,
				lastSynced
			},
			transport: createSyncTransport(mutate),
			onProgress: (progress) => publish({ type: 'sync-progress', progress }),
			onDeviceRejected: (deviceId) => forgetDevice(companyId, deviceId),
			retimeFuture: (op) => correctedTime(op)
		});
		const at = new Date().toISOString();
		// Only a drain that talked to the server counts as a sync (an empty one proves nothing).
		if (result.sent > 0) await setLastSyncAt(at);
		publish({ type: 'sync-finished', at, ok: true });
		return result;
	} catch (error) {
		const kind = (error as { kind?: string }).kind;
		publish({
			type: 'sync-finished',
			at: new Date().toISOString(),
			ok: false,
			unauthorized: kind === 'unauthorized'
		});
		throw error;
	} finally {
		publish({ type: 'sync-progress', progress: null });
	}
}

/** Runs one drain under the profile-wide sync lock (the service worker's entry point). */
export function drainUnderLock(mutate: SyncMutate): Promise<DrainResult> {
	const locks = webLocks();
	const work = () => drainCounterOutbox(mutate);
	return locks ? locks.request(SYNC_LOCK_NAME, work) : work();
}
