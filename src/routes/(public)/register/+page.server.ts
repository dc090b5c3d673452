import { fail, redirect } from '@sveltejs/kit';
import { createSession, SESSION_COOKIE, sessionCookieOptions } from '$server/auth/session';
import { callerFor } from '$server/caller';
import { registrySamples } from '$server/services/registry-lookup';
import { cabinetPath } from '$lib/cabinets';
import { errorsOf, field, formCall, throttledFor } from '$lib/server/form-call';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.user) redirect(303, cabinetPath(locals.user.role));
	return { registrySamples: registrySamples() };
};

export const actions: Actions = {
	/**
	 * Registers through companies.register; on success the new company is signed in at once,
	 * so it can upload its documents (payments stay closed until the operator approves).
	 */
	default: async ({ request, locals, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const input = {
			inn: field(form, 'inn'),
			companyName: field(form, 'companyName'),
			email: field(form, 'email'),
			phone: field(form, 'phone'),
			password: field(form, 'password'),
			passwordRepeat: field(form, 'passwordRepeat'),
			inviterId: field(form, 'inviterId'),
			consentTerms: form.get('consentTerms') === 'on',
			consentPrivacy: form.get('consentPrivacy') === 'on',
			locale: locals.locale
		};
		// Passwords are never sent back into the page.
		const values = {
			inn: input.inn,
			companyName: input.companyName,
			email: input.email,
			phone: input.phone,
			inviterId: input.inviterId,
			consentTerms: input.consentTerms,
			consentPrivacy: input.consentPrivacy
		};
		let outcome;
		try {
			outcome = await formCall(() =>
				callerFor(locals, getClientAddress(), request).companies.register(input)
			);
		} catch (error) {
			const retryAfterSeconds = throttledFor(error);
			if (retryAfterSeconds === null) throw error;
			return fail(429, { values, fieldErrors: {}, error: 'throttled' as const, retryAfterSeconds });
		}
		if ('status' in outcome) return fail(400, { values, fieldErrors: {}, error: 'invalid' });
		if (!outcome.ok) {
			return fail(400, {
				values,
				fieldErrors: errorsOf(outcome.fieldErrors),
				error: 'error' in outcome ? outcome.error : null
			});
		}
		const session = await createSession(locals.db, outcome.userId, {
			ip: getClientAddress(),
			userAgent: request.headers.get('user-agent')
		});
		cookies.set(SESSION_COOKIE, session.token, sessionCookieOptions(url, session.expiresAt));
		redirect(303, '/company?registered=1');
	}
};
