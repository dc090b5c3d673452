import { fail, redirect } from '@sveltejs/kit';
import { logIn } from '$server/auth/login';
import { SESSION_COOKIE, sessionCookieOptions, sessionCookieRefused } from '$server/auth/session';
import { cabinetPath, safeNextPath } from '$lib/cabinets';
import { isLocale, LOCALE_COOKIE } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user)
		redirect(303, safeNextPath(url.searchParams.get('next'), cabinetPath(locals.user.role)));
	return {};
};

export const actions: Actions = {
	default: async ({ request, locals, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const email = String(form.get('email') ?? '').trim();
		const password = String(form.get('password') ?? '');
		if (!email || !password) return fail(400, { email, error: 'missing' as const });
		// The browser would drop the session cookie: say so instead of a login that comes back.
		if (sessionCookieRefused(url)) return fail(400, { email, error: 'insecure' as const });

		const outcome = await logIn(locals.db, {
			email,
			password,
			ip: getClientAddress(),
			userAgent: request.headers.get('user-agent')
		});
		if (!outcome.ok) {
			return fail(outcome.error === 'throttled' ? 429 : 400, {
				email,
				error: outcome.error,
				retryAfterSeconds: outcome.error === 'throttled' ? outcome.retryAfterSeconds : undefined
			});
		}
		cookies.set(SESSION_COOKIE, outcome.token, sessionCookieOptions(url, outcome.expiresAt));
		// A language chosen on the login page is the person's choice: it becomes the account's.
		const chosen = cookies.get(LOCALE_COOKIE);
		if (isLocale(chosen)) {
			await locals.db
				.updateTable('users')
				.set({ locale: chosen })
				.where('id', '=', outcome.userId)
				.execute();
		}
		redirect(303, safeNextPath(url.searchParams.get('next'), cabinetPath(outcome.role)));
	}
};
