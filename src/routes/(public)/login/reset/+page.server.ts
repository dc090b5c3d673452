import { fail, redirect } from '@sveltejs/kit';
import { callerFor } from '$server/caller';
import { field } from '$lib/server/form-call';
import type { Actions, PageServerLoad } from './$types';

/**
 * The token is in the query (the request log writes paths, never queries): no Referer carries
 * it away, no cache keeps the page.
 */
const PRIVATE_PAGE = { 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' };

export const load: PageServerLoad = async ({ url, locals, getClientAddress, setHeaders }) => {
	setHeaders(PRIVATE_PAGE);
	const link = await callerFor(locals, getClientAddress()).passwordReset.check({
		token: url.searchParams.get('token') ?? ''
	});
	return link.ok ? { valid: true as const, email: link.email } : { valid: false as const };
};

export const actions: Actions = {
	/** Sets the new password (the link is used up), then the login page says so. */
	default: async ({ url, request, locals, getClientAddress }) => {
		const data = await request.formData();
		const outcome = await callerFor(locals, getClientAddress(), request).passwordReset.complete({
			token: url.searchParams.get('token') ?? '',
			password: field(data, 'password'),
			passwordRepeat: field(data, 'passwordRepeat')
		});
		if (outcome.ok) redirect(303, '/login?reset=done');
		if (outcome.error === 'invalid_link') return fail(410, { invalid: true as const });
		return fail(400, { fieldErrors: outcome.fieldErrors });
	}
};
