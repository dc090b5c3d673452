import { fail } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { callerFor } from '$server/caller';
import {
	emptyPartnerRegistration,
	PARTNER_REGISTRATION_FIELDS,
	type PartnerRegistrationErrors,
	type PartnerRegistrationForm
} from '$lib/forms/partner-registration';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, getClientAddress }) => {
	const overview = await callerFor(locals, getClientAddress()).partners.overview();
	return {
		licensesAvailable: overview.partner.licensesAvailable,
		registrySamples: overview.registrySamples
	};
};

/** Field errors of a refused input: the catalogue keys the router's validation put there. */
function fieldErrorsOf(error: unknown): PartnerRegistrationErrors | null {
	if (!(error instanceof TRPCError) || error.code !== 'BAD_REQUEST') return null;
	const issues = (error.cause as { issues?: { path: PropertyKey[]; message: string }[] })?.issues;
	if (!Array.isArray(issues)) return null;
	const errors: Record<string, string> = {};
	for (const issue of issues) {
		const field = String(issue.path[0] ?? '');
		if (field && !(field in errors)) errors[field] = issue.message;
	}
	return errors as PartnerRegistrationErrors;
}

export const actions: Actions = {
	/** "Зарегистрировать": one license, one pending company, its admin account — or a reason. */
	default: async ({ request, locals, getClientAddress }) => {
		const data = await request.formData();
		const form: PartnerRegistrationForm = emptyPartnerRegistration();
		for (const field of PARTNER_REGISTRATION_FIELDS) form[field] = String(data.get(field) ?? '');
		// The password never travels back to the page.
		const values = { ...form, password: '' };

		let outcome;
		try {
			outcome = await callerFor(locals, getClientAddress()).partners.registerCompany(form);
		} catch (error) {
			const fieldErrors = fieldErrorsOf(error);
			if (fieldErrors) return fail(400, { values, fieldErrors, error: null });
			throw error;
		}
		if (!outcome.ok) {
			const fieldErrors: PartnerRegistrationErrors =
				outcome.error === 'inn_taken'
					? { inn: 'partner.error.inn_taken' }
					: outcome.error === 'email_taken'
						? { email: 'partner.error.email_taken' }
						: {};
			return fail(409, { values, fieldErrors, error: outcome.error });
		}
		return {
			done: {
				companyId: outcome.companyId,
				name: outcome.name,
				email: form.email.trim().toLowerCase(),
				licensesLeft: outcome.licensesLeft
			}
		};
	}
};
