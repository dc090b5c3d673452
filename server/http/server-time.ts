import { SERVER_TIME_HEADER } from '../../src/lib/domain/server-time';

/**
 * Stamps an answer with the server's clock, taken as late as possible (just before it is
 * sent), so that a counter can measure its own clock's error to within half a round trip.
 */
export function stampServerTime(response: Response): Response {
	try {
		response.headers.set(SERVER_TIME_HEADER, String(Date.now()));
		return response;
	} catch {
		// Immutable headers (a fetched response passed through): copy it.
		const copy = new Response(response.body, response);
		copy.headers.set(SERVER_TIME_HEADER, String(Date.now()));
		return copy;
	}
}

/** A request handler whose every answer carries the server's clock. */
export function withServerTime<E>(
	handler: (event: E) => Response | Promise<Response>
): (event: E) => Promise<Response> {
	return async (event) => stampServerTime(await handler(event));
}
