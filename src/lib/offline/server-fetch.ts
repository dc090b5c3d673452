import { TERMINAL_REVOKED_STATE, TERMINAL_STATE_HEADER } from '../domain/terminal-state';
import { serverClock, type ServerClock } from './clock';
import { publish } from './events';

/** A server answer that is not tRPC's JSON (a proxy's 502 page, an HTML 500): its status. */
export class HttpStatusError extends Error {
	constructor(
		readonly status: number,
		readonly retryAfterMs: number | null
	) {
		super(`HTTP ${status}`);
		this.name = 'HttpStatusError';
	}
}

/** Retry-After in ms: delta-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
	if (!value) return null;
	const trimmed = value.trim();
	if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
	const at = Date.parse(trimmed);
	return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

const announceRevoked = () => publish({ type: 'terminal-revoked' });

/**
 * The `fetch` of the tRPC clients: every answer teaches the counter the server's clock and
 * whether this terminal was revoked (told to every tab before the caller sees the answer, so a
 * payment cannot start on it), and an error answer that is not JSON keeps its status (tRPC
 * would only see unreadable JSON, which looks like a network failure), so a 503 or a 500 from
 * anywhere is told apart.
 */
export function createObservingFetch(
	clock: ServerClock = serverClock,
	base: typeof fetch = (...args) => fetch(...args),
	onRevoked: () => void = announceRevoked
): typeof fetch {
	return async (input, init) => {
		const sentAt = clock.deviceTime();
		const response = await base(input, init);
		clock.observeResponse(response.headers, sentAt, clock.deviceTime());
		if (response.headers.get(TERMINAL_STATE_HEADER) === TERMINAL_REVOKED_STATE) onRevoked();
		const type = response.headers.get('content-type') ?? '';
		if (!response.ok && !type.includes('json')) {
			throw new HttpStatusError(
				response.status,
				parseRetryAfter(response.headers.get('retry-after'))
			);
		}
		return response;
	};
}
