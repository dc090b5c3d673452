import { TRPCError } from '@trpc/server';

/** The cause of a TOO_MANY_REQUESTS: when to come back, for the Retry-After header. */
export class RetryLater extends Error {
	constructor(readonly retryAfterSeconds: number) {
		super(`retry after ${retryAfterSeconds} s`);
	}
}

/** «35 с», «12 мин»: how long to wait, in the catalogue's wording (time.seconds / time.minutes). */
export function waitTextRu(seconds: number): string {
	return seconds < 120 ? `${seconds} с` : `${Math.ceil(seconds / 60)} мин`;
}

/** A limit reached: HTTP 429 with a message for a person and a Retry-After for the client. */
export function tooManyRequests(message: string, retryAfterSeconds: number): TRPCError {
	return new TRPCError({
		code: 'TOO_MANY_REQUESTS',
		message,
		cause: new RetryLater(retryAfterSeconds)
	});
}

/** The longest wait any of `errors` asks for (seconds), or null when none does. */
export function retryAfterOf(errors: readonly TRPCError[]): number | null {
	let longest: number | null = null;
	for (const error of errors) {
		if (error.code === 'TOO_MANY_REQUESTS' && error.cause instanceof RetryLater) {
			longest = Math.max(longest ?? 0, error.cause.retryAfterSeconds);
		}
	}
	return longest;
}
