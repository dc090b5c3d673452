import type { RequestEvent } from '@sveltejs/kit';
import { isDatabaseUnavailable } from '../db/availability';
import type { RequestHead } from './request-head';
import { REQUEST_TIMEOUT_MS, unavailableResponse } from './unavailable';

/** Uploads (company documents, up to 10 MB) may take longer on a shop's connection. */
const UPLOAD_TIMEOUT_MS = 120_000;

/**
 * Runs one request under Kopek's bounds: answered within REQUEST_TIMEOUT_MS whatever the
 * database does, and with 503 + Retry-After (JSON for tRPC, the Russian page otherwise) when
 * the database cannot be reached — instead of a 500 or no answer at all. A request whose
 * time ran out keeps running to its end in the background (a sync is idempotent: the retry
 * gets `duplicate` for what it stored).
 */
export async function guardRequest(
	event: Pick<RequestEvent, 'url' | 'locals'> & { request: RequestHead },
	run: () => Promise<Response>,
	onUnavailable: (reason: 'database' | 'timeout') => void = () => {}
): Promise<Response> {
	const upload = event.request.headers.get('content-type')?.startsWith('multipart/form-data');
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timedOut = new Promise<'timeout'>((resolve) => {
		timer = setTimeout(() => resolve('timeout'), upload ? UPLOAD_TIMEOUT_MS : REQUEST_TIMEOUT_MS);
	});
	const work = run();
	// The work may fail after the timeout answered: that failure is expected, not unhandled.
	work.catch(() => {});
	try {
		const outcome = await Promise.race([work, timedOut]);
		if (outcome === 'timeout') {
			onUnavailable('timeout');
			return unavailableResponse(event.url);
		}
		// A page whose load met an unreachable database (handleError marked it) is a 503 too.
		if (event.locals.databaseUnavailable && outcome.status >= 500) {
			onUnavailable('database');
			return unavailableResponse(event.url);
		}
		return outcome;
	} catch (error) {
		if (isDatabaseUnavailable(error)) {
			onUnavailable('database');
			return unavailableResponse(event.url);
		}
		throw error;
	} finally {
		clearTimeout(timer);
	}
}
