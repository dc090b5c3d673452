/**
 * Whether an error means "the database cannot be reached right now" (down, restarting,
 * unreachable, too slow) rather than "this request is wrong": such an error is answered with
 * 503 and Retry-After, and the client retries later (SPEC: a transport or server failure
 * fails the whole call, the client retries with backoff).
 */

/** postgres.js's own connection error codes, and the socket errors it passes on. */
const CONNECTION_CODES = new Set([
	'CONNECTION_CLOSED',
	'CONNECTION_ENDED',
	'CONNECTION_DESTROYED',
	'CONNECT_TIMEOUT',
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENOTFOUND',
	'EAI_AGAIN',
	'KOPEK_QUERY_TIMEOUT'
]);

/**
 * SQLSTATEs of an unavailable server: class 08 (connection exception), 57P01-57P05
 * (admin/crash shutdown, cannot connect now, idle session timeout), 57014 (statement timeout
 * or cancel), 53300 (too many connections), 25P03 (idle-in-transaction timeout), 25006
 * (read-only transaction: the node is a standby — a failover is under way).
 */
function isUnavailableSqlState(code: string): boolean {
	return (
		code.startsWith('08') ||
		/^57P0[1-5]$/.test(code) ||
		code === '57014' ||
		code === '53300' ||
		code === '25P03' ||
		code === '25006'
	);
}

export function isDatabaseUnavailable(error: unknown): boolean {
	for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string' && (CONNECTION_CODES.has(code) || isUnavailableSqlState(code))) {
			return true;
		}
		// An embedded PGlite that was closed under a request (shutdown) is unavailable too.
		const message = (e as { message?: unknown }).message;
		if (typeof message === 'string' && /PGlite is closed/i.test(message)) return true;
		e = (e as { cause?: unknown }).cause;
	}
	return false;
}

/** Seconds a client should wait before trying again while the database is away. */
export const RETRY_AFTER_SECONDS = 5;

/** What a client reads while the database is away (Russian first: the product's language). */
export const DATABASE_UNAVAILABLE_MESSAGE = 'Сервис временно недоступен, повторите попытку позже';
