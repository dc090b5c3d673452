import type { SyncOutcome } from '../../../server/services/payment-sync';
import { SyncCallError, type FailureKind, type SyncBatch, type SyncTransport } from './engine';
import { HttpStatusError, parseRetryAfter } from './server-fetch';

/** How long one batch may take before the call counts as failed (and is retried). */
export const SYNC_CALL_TIMEOUT_MS = 30_000;

type Mutate = (batch: SyncBatch, options: { signal: AbortSignal }) => Promise<SyncOutcome[]>;

const BY_CODE: Record<string, FailureKind> = {
	UNAUTHORIZED: 'unauthorized',
	FORBIDDEN: 'forbidden',
	BAD_REQUEST: 'malformed',
	PARSE_ERROR: 'malformed',
	PAYLOAD_TOO_LARGE: 'malformed',
	UNPROCESSABLE_CONTENT: 'malformed',
	SERVICE_UNAVAILABLE: 'unavailable',
	TOO_MANY_REQUESTS: 'throttled',
	TIMEOUT: 'unavailable',
	BAD_GATEWAY: 'unavailable',
	GATEWAY_TIMEOUT: 'unavailable',
	CLIENT_CLOSED_REQUEST: 'network'
};

/** A status with no tRPC code (a proxy's page, an HTML error): what it means for a retry. */
function kindOfStatus(status: number): FailureKind {
	if (status === 429) return 'throttled';
	if (status === 408 || status === 502 || status === 503 || status === 504) return 'unavailable';
	if (status === 413) return 'malformed';
	return status >= 500 ? 'server' : 'network';
}

/**
 * Classifies a failed tRPC call (a TRPCClientError, read by shape so this module does not
 * pull in the client): by the tRPC code, else by the HTTP status of a non-JSON answer, else
 * (no answer at all) the network failed.
 */
export function failureKindOf(error: unknown): FailureKind {
	const data = (error as { data?: { code?: string; httpStatus?: number } } | null)?.data;
	const byCode = data?.code ? BY_CODE[data.code] : undefined;
	if (byCode) return byCode;
	if (data?.httpStatus) return data.httpStatus >= 500 ? kindOfStatus(data.httpStatus) : 'server';
	const cause = (error as { cause?: unknown } | null)?.cause ?? error;
	if (cause instanceof HttpStatusError) return kindOfStatus(cause.status);
	return 'network';
}

/** The server's Retry-After of a failed call, in ms, if it sent one. */
export function retryAfterOf(error: unknown): number | undefined {
	const cause = (error as { cause?: unknown } | null)?.cause ?? error;
	if (cause instanceof HttpStatusError) return cause.retryAfterMs ?? undefined;
	const response = (error as { meta?: { response?: { headers?: Headers } } } | null)?.meta
		?.response;
	return parseRetryAfter(response?.headers?.get?.('retry-after')) ?? undefined;
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
			throw new SyncCallError(
				kind,
				error instanceof Error ? error.message : String(error),
				retryAfterOf(error)
			);
		} finally {
			clearTimeout(timer);
		}
	};
}
