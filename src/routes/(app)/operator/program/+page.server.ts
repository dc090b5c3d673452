import { fail } from '@sveltejs/kit';
import { callerFor } from '$server/caller';
import { field } from '$lib/server/form-call';
import { percentToBp } from '$lib/domain/money';
import type { Actions, PageServerLoad } from './$types';

/** The program's rules (issue 22): hold period, expiry, campaign ceiling; what expires next month. */
export const load: PageServerLoad = async ({ locals, getClientAddress }) => {
	const api = callerFor(locals, getClientAddress());
	const [rules, expiring] = await Promise.all([api.levers.rules(), api.levers.expiringNextMonth()]);
	return { rules, expiring };
};

export const actions: Actions = {
	rules: async ({ request, locals, getClientAddress }) => {
		const form = await request.formData();
		const holdDays = Number(field(form, 'holdDays'));
		const expiryMonths = Number(field(form, 'expiryMonths'));
		const cap = percentToBp(field(form, 'campaignMax'));
		if (!Number.isInteger(holdDays) || !Number.isInteger(expiryMonths) || !cap.ok)
			return fail(400, { rules: { error: true } });
		const outcome = await callerFor(locals, getClientAddress()).levers.setRules({
			holdDays,
			expiryMonths,
			campaignMaxBp: cap.bp
		});
		return outcome.ok ? { rules: { done: true } } : fail(400, { rules: { error: true } });
	}
};
