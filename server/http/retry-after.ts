import type { TRPCError } from '@trpc/server';
import { RETRY_AFTER_SECONDS } from '../db/availability';
import { retryAfterOf } from './too-many-requests';

/**
 * The tRPC answer's headers: a client told to come back later (503 while the database is
 * unreachable, 429 past a limit) also learns when; the counter's backoff reads it.
 */
export function retryAfterMeta({ errors }: { errors: readonly TRPCError[] }): {
	headers?: Record<string, string>;
} {
	if (errors.some((e) => e.code === 'SERVICE_UNAVAILABLE'))
		return { headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } };
	const limited = retryAfterOf(errors);
	return limited === null ? {} : { headers: { 'retry-after': String(limited) } };
}
