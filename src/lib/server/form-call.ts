import { fail, type ActionFailure } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { z, ZodError } from 'zod';
import { RetryLater } from '$server/http/too-many-requests';

export type InvalidInput = { error: 'invalid'; fieldErrors: Record<string, string> };

/**
 * Runs a procedure for a form action. Input the procedure's zod schema refuses (a field too
 * long, a date that is not a date) comes back as `fail(400)` with the field names marked
 * `invalid`, so the form shows it like any other refusal; anything else is thrown on.
 */
export async function formCall<T>(
	call: () => Promise<T>
): Promise<T | ActionFailure<InvalidInput>> {
	try {
		return await call();
	} catch (error) {
		if (error instanceof TRPCError && error.code === 'BAD_REQUEST') {
			const fieldErrors: Record<string, string> = {};
			if (error.cause instanceof ZodError) {
				for (const name of Object.keys(z.flattenError(error.cause).fieldErrors)) {
					fieldErrors[name] = 'invalid';
				}
			}
			return fail(400, { error: 'invalid' as const, fieldErrors });
		}
		throw error;
	}
}

/** A text field of a submitted form ('' when absent). */
export function field(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}

/** A procedure's field errors as a plain name → code map for the page. */
export function errorsOf(fieldErrors: object | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, code] of Object.entries(fieldErrors ?? {})) {
		if (typeof code === 'string') out[name] = code;
	}
	return out;
}

/** The wait (seconds) a procedure's TOO_MANY_REQUESTS asks for; null for any other error. */
export function throttledFor(error: unknown): number | null {
	if (!(error instanceof TRPCError) || error.code !== 'TOO_MANY_REQUESTS') return null;
	return error.cause instanceof RetryLater ? error.cause.retryAfterSeconds : 60;
}
