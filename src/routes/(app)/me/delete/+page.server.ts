import { fail, redirect } from '@sveltejs/kit';
import { SESSION_COOKIE } from '$server/auth/session';
import { callerFor } from '$server/caller';
import type { Actions, PageServerLoad } from './$types';

/** The erasure warning: what goes, what stays, and the balance that would be forfeited. */
export const load: PageServerLoad = async ({ locals, getClientAddress }) => ({
	preview: await callerFor(locals, getClientAddress()).privacy.erasurePreview()
});

export const actions: Actions = {
	default: async ({ request, locals, cookies, getClientAddress }) => {
		const form = await request.formData();
		const outcome = await callerFor(locals, getClientAddress()).privacy.eraseMine({
			password: String(form.get('password') ?? ''),
			confirmed: form.get('confirmed') === 'on'
		});
		if (!outcome.ok) return fail(400, { error: outcome.error });
		// The sessions are gone with the account; the cookie goes too.
		cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/account-deleted');
	}
};
