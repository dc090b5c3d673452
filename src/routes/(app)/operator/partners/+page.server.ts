import { fail } from '@sveltejs/kit';
import { callerFor } from '$server/caller';
import { errorsOf, field, formCall } from '$lib/server/form-call';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, getClientAddress }) => ({
	partners: await callerFor(locals, getClientAddress()).operator.partners()
});

export const actions: Actions = {
	/** A partner with the next ID and its account; the password is never sent back. */
	create: async ({ request, locals, getClientAddress }) => {
		const form = await request.formData();
		const values = {
			name: field(form, 'name'),
			email: field(form, 'email'),
			licenses: field(form, 'licenses')
		};
		const licenses = values.licenses.trim() === '' ? 0 : Number(values.licenses);
		const outcome = await formCall(() =>
			callerFor(locals, getClientAddress()).operator.createPartner({
				name: values.name,
				email: values.email,
				password: field(form, 'password'),
				licenses
			})
		);
		if ('status' in outcome) {
			return fail(400, { create: { values, fieldErrors: outcome.data.fieldErrors } });
		}
		if (!outcome.ok) {
			return fail(400, { create: { values, fieldErrors: errorsOf(outcome.fieldErrors) } });
		}
		return { create: { ok: true, partnerId: outcome.partnerId } };
	}
};
