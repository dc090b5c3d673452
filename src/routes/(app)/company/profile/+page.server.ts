import { fail } from '@sveltejs/kit';
import { callerFor } from '$server/caller';
import type { CompanyTimeZone } from '$server/repositories/companies';
import { errorsOf, field, formCall } from '$lib/server/form-call';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, getClientAddress, url }) => {
	const profile = await callerFor(locals, getClientAddress()).companies.profile();
	return { profile, editing: url.searchParams.has('edit') };
};

export const actions: Actions = {
	save: async ({ request, locals, getClientAddress }) => {
		const form = await request.formData();
		const values = {
			name: field(form, 'name'),
			city: field(form, 'city'),
			country: field(form, 'country'),
			phone: field(form, 'phone'),
			// The procedure's enum refuses anything that is not one of COMPANY_TIME_ZONES.
			timeZone: field(form, 'timeZone') as CompanyTimeZone
		};
		const outcome = await formCall(() =>
			callerFor(locals, getClientAddress()).companies.updateProfile(values)
		);
		if ('status' in outcome) {
			return fail(400, { save: { values, fieldErrors: outcome.data.fieldErrors } });
		}
		if (!outcome.ok) {
			return fail(400, {
				save: { values, fieldErrors: errorsOf(outcome.fieldErrors) }
			});
		}
		return { save: { ok: true } };
	},

	email: async ({ request, locals, getClientAddress }) => {
		const form = await request.formData();
		const email = field(form, 'email');
		const outcome = await formCall(() =>
			callerFor(locals, getClientAddress()).companies.changeEmail({
				email,
				password: field(form, 'password')
			})
		);
		if ('status' in outcome)
			return fail(400, { email: { email, fieldErrors: errorsOf({ email: 'format' }) } });
		if (!outcome.ok) {
			return fail(400, {
				email: { email, fieldErrors: errorsOf(outcome.fieldErrors) }
			});
		}
		return { email: { ok: true, email: outcome.email } };
	},

	password: async ({ request, locals, getClientAddress }) => {
		const form = await request.formData();
		const outcome = await formCall(() =>
			callerFor(locals, getClientAddress()).companies.changePassword({
				currentPassword: field(form, 'currentPassword'),
				newPassword: field(form, 'newPassword'),
				newPasswordRepeat: field(form, 'newPasswordRepeat')
			})
		);
		if ('status' in outcome) {
			return fail(400, { password: { fieldErrors: errorsOf({ newPassword: 'too_long' }) } });
		}
		if (!outcome.ok) {
			return fail(400, {
				password: { fieldErrors: errorsOf(outcome.fieldErrors) }
			});
		}
		return { password: { ok: true } };
	}
};
