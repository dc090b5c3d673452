import { fail, redirect } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { callerFor } from '$server/caller';
import { createSession, SESSION_COOKIE, sessionCookieOptions } from '$server/auth/session';
import { cabinetPath } from '$lib/cabinets';
import { throttledFor } from '$lib/server/form-call';
import type { CustomerSignupErrors } from '$lib/forms/customer-signup';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.user) redirect(303, cabinetPath(locals.user.role));
	return {};
};

function fieldErrorsOf(error: unknown): CustomerSignupErrors | null {
	if (!(error instanceof TRPCError) || error.code !== 'BAD_REQUEST') return null;
	const issues = (error.cause as { issues?: { path: PropertyKey[]; message: string }[] })?.issues;
	if (!Array.isArray(issues)) return null;
	const errors: Record<string, string> = {};
	for (const issue of issues) {
		const field = String(issue.path[0] ?? '');
		if (field && !(field in errors)) errors[field] = issue.message;
	}
	return errors;
}

export const actions: Actions = {
	/** A new customer with a card, signed in at once and sent to "My card". */
	default: async ({ request, locals, cookies, url, getClientAddress }) => {
		const data = await request.formData();
		const text = (name: string) => {
			const value = data.get(name);
			return typeof value === 'string' ? value : '';
		};
		const form = {
			name: text('name'),
			phone: text('phone'),
			email: text('email'),
			password: text('password'),
			passwordRepeat: text('passwordRepeat'),
			consentPersonalData: data.get('consentPersonalData') === 'on',
			consentMarketing: data.get('consentMarketing') === 'on'
		};
		const values = {
			name: form.name,
			phone: form.phone,
			email: form.email,
			consentPersonalData: form.consentPersonalData,
			consentMarketing: form.consentMarketing
		};

		let outcome;
		try {
			outcome = await callerFor(locals, getClientAddress(), request).me.signup({
				...form,
				locale: locals.locale
			});
		} catch (error) {
			const fieldErrors = fieldErrorsOf(error);
			if (fieldErrors) return fail(400, { values, fieldErrors });
			const retryAfterSeconds = throttledFor(error);
			if (retryAfterSeconds !== null) {
				return fail(429, {
					values,
					fieldErrors: {} as CustomerSignupErrors,
					error: 'throttled' as const,
					retryAfterSeconds
				});
			}
			throw error;
		}
		if (!outcome.ok) {
			const fieldErrors: CustomerSignupErrors =
				outcome.error === 'phone_taken'
					? { phone: 'me.error.phone_taken' }
					: { email: 'me.error.email_taken' };
			return fail(409, { values, fieldErrors });
		}

		const session = await createSession(locals.db, outcome.userId, {
			ip: getClientAddress(),
			userAgent: request.headers.get('user-agent')
		});
		cookies.set(SESSION_COOKIE, session.token, sessionCookieOptions(url, session.expiresAt));
		redirect(303, '/me');
	}
};
