import type { SyncOutcome } from '../../../server/services/payment-sync';
import { SyncCallError, type FailureKind, type SyncBatch, type SyncTransport } from './engine';

/** How long one batch may take before the call counts as failed (and is retried). */
export const SYNC_CALL_TIMEOUT_MS = 30_000;

type Mutate = (batch: SyncBatch, options: { signal: AbortSignal }) => Promise<SyncOutcome[]>;

/**
 * Classifies a failed tRPC call (a TRPCClientError, read by shape so this module does not
 * pull in the client): no HTTP status means the network failed.
 */
export function failureKindOf(error: unknown): FailureKind {
	const data = (error as { data?: { code?: string; httpStatus?: number } } | null)?.data;
	switch (data?.code) {
		case 'UNAUTHORIZED':
			return 'unauthorized';
		case 'FORBIDDEN':
			return 'forbidden';
		case 'BAD_REQUEST':
		case 'PARSE_ERROR':
			return 'malformed';
	}
	return data?.httpStatus ? 'server' : 'network';
}

/** The engine's transport over a `payments.sync` mutation (page or service worker client). */
export function createSyncTransport(
	mutate: Mutate,
	timeoutMs = SYNC_CALL_TIMEOUT_MS
): SyncTransport {
	return async (batch) => {
		const controller = new AbortController();
		const timer = setTimeout(() => controller.abort(), timeoutMs);
		try {
			return await mutate(batch, { signal: controller.signal });
		} catch (error) {
			const kind = controller.signal.aborted ? 'network' : failureKindOf(error);
			throw new SyncCallError(kind, error instanceof Error ? error.message : String(error));
		} finally {
			clearTimeout(timer);
		}
	};
}
