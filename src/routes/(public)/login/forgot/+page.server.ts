import { fail } from '@sveltejs/kit';
import { callerFor } from '$server/caller';
import { field, throttledFor } from '$lib/server/form-call';
import type { Actions } from './$types';

export const actions: Actions = {
	/** Asks for a reset link; the page says the same whether or not the address has an account. */
	default: async ({ request, locals, getClientAddress }) => {
		const email = field(await request.formData(), 'email').trim();
		try {
			const outcome = await callerFor(locals, getClientAddress(), request).passwordReset.request({
				email
			});
			if (!outcome.ok) return fail(400, { email, error: outcome.error });
		} catch (error) {
			const retryAfterSeconds = throttledFor(error);
			if (retryAfterSeconds === null) throw error;
			return fail(429, { email, error: 'throttled' as const, retryAfterSeconds });
		}
		return { email, sent: true as const };
	}
};
