import { readBounded } from './read-bounded';
import { trpcErrorResponse } from './unavailable';

/** At most this many calls in one batched tRPC request (issue 7: batching bypassed the caps). */
export const MAX_BATCH_CALLS = 10;
/** The largest /api/trpc request body (a 200-operation sync is ~30 KB). */
export const MAX_TRPC_BODY_BYTES = 1024 * 1024;
/** Procedures that must travel alone: their own per-call caps are the request's caps. */
const UNBATCHED = new Set(['payments.sync']);

/**
 * Refuses a /api/trpc request before tRPC reads it: a body over 1 MB (413), or a batch that
 * carries `payments.sync` beside other calls (400) — so one HTTP request carries at most one
 * sync of at most 200 operations. Returns the request to serve (the body read once when its
 * size was not declared), or the refusal.
 */
export async function limitTrpcRequest(request: Request, url: URL): Promise<Request | Response> {
	const calls = decodeURIComponent(url.pathname.replace(/^\/api\/trpc\/?/, '')).split(',');
	if (calls.length > 1 && calls.some((call) => UNBATCHED.has(call))) {
		return trpcErrorResponse(url, 'BAD_REQUEST');
	}
	if (request.method !== 'POST' || !request.body) return request;
	const declared = request.headers.get('content-length');
	if (declared !== null) {
		return Number(declared) > MAX_TRPC_BODY_BYTES
			? trpcErrorResponse(url, 'PAYLOAD_TOO_LARGE')
			: request;
	}
	// No declared length (chunked): read at most the limit, then hand tRPC the bytes.
	const body = await readBounded(request.body, MAX_TRPC_BODY_BYTES);
	if (!body) return trpcErrorResponse(url, 'PAYLOAD_TOO_LARGE');
	return new Request(request.url, { method: 'POST', headers: request.headers, body });
}
