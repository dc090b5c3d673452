import { SERVER_TIME_HEADER } from '../../src/lib/domain/server-time';

/**
 * Stamps an answer with the server's clock: the middle of the time it spent on the request,
 * which is the middle of the counter's round trip but for the network's asymmetry, so that a
 * counter can measure its own clock's error to within a few milliseconds.
 */
export function stampServerTime(response: Response, serverMs = Date.now()): Response {
	const value = String(Math.round(serverMs));
	try {
		response.headers.set(SERVER_TIME_HEADER, value);
		return response;
	} catch {
		// Immutable headers (a fetched response passed through): copy it.
		const copy = new Response(response.body, response);
		copy.headers.set(SERVER_TIME_HEADER, value);
		return copy;
	}
}

/** Runs a handler and stamps its answer with the middle of the time it took. */
export async function withServerTime(run: () => Promise<Response>): Promise<Response> {
	const start = Date.now();
	const response = await run();
	return stampServerTime(response, (start + Date.now()) / 2);
}
