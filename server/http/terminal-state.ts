import { TERMINAL_REVOKED_STATE, TERMINAL_STATE_HEADER } from '../../src/lib/domain/terminal-state';
import type { TerminalPrincipal } from '../auth/terminal';

/**
 * Marks an answer to a revoked terminal (`x-kopek-terminal: revoked`), whatever it answers:
 * the counter learns of the revocation at its next contact (src/lib/offline/server-fetch.ts).
 * Only the signal: which operations are accepted stays with the procedures.
 */
export function stampTerminalState(
	response: Response,
	terminal: TerminalPrincipal | null | undefined
): Response {
	if (!terminal?.revoked) return response;
	try {
		response.headers.set(TERMINAL_STATE_HEADER, TERMINAL_REVOKED_STATE);
		return response;
	} catch {
		// Immutable headers (a fetched response passed through): copy it.
		const copy = new Response(response.body, response);
		copy.headers.set(TERMINAL_STATE_HEADER, TERMINAL_REVOKED_STATE);
		return copy;
	}
}
