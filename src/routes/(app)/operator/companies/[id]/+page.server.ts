import { error, fail } from '@sveltejs/kit';
import { callerFor } from '$server/caller';
import { errorsOf, field, formCall } from '$lib/server/form-call';
import { reviewActions } from '$lib/server/review-actions';
import type { Actions, PageServerLoad } from './$types';

function companyIdOf(param: string): number {
	const id = Number(param);
	if (!Number.isSafeInteger(id) || id <= 0) error(404, 'Not found');
	return id;
}

export const load: PageServerLoad = async ({ params, locals, getClientAddress }) => {
	const api = callerFor(locals, getClientAddress());
	const companyId = companyIdOf(params.id);
	const [company, redeemLimits, moneyLimits, consents, integrationKeys] = await Promise.all([
		api.operator.company({ companyId }),
		api.operator.redeemLimits({ companyId }),
		api.operator.moneyLimits({ companyId }),
		api.privacy.companyConsents({ companyId }),
		api.integrations.operatorList({ companyId })
	]);
	if (!company) error(404, 'Not found');
	return { company, redeemLimits, moneyLimits, consents, integrationKeys };
};

export const actions: Actions = {
	...reviewActions,

	/** A new rate from a wall-clock time in the company's zone (empty: from now). */
	rate: async ({ params, request, locals, getClientAddress }) => {
		const form = await request.formData();
		const percent = field(form, 'percent');
		const effectiveFrom = field(form, 'effectiveFrom');
		const outcome = await formCall(() =>
			callerFor(locals, getClientAddress()).operator.setRate({
				companyId: companyIdOf(params.id),
				percent,
				effectiveFrom: effectiveFrom === '' ? undefined : effectiveFrom
			})
		);
		if ('status' in outcome) {
			return fail(400, { rate: { percent, effectiveFrom, fieldErrors: outcome.data.fieldErrors } });
		}
		if (!outcome.ok) {
			return fail(400, {
				rate: { percent, effectiveFrom, fieldErrors: errorsOf(outcome.fieldErrors) }
			});
		}
		return { rate: { ok: true, rateBp: outcome.rateBp, effectiveFrom: outcome.effectiveFrom } };
	},

	/** A new redemption limit (share of a bill payable with cashback), like a rate. */
	redeemLimit: async ({ params, request, locals, getClientAddress }) => {
		const form = await request.formData();
		const percent = field(form, 'percent');
		const effectiveFrom = field(form, 'effectiveFrom');
		const outcome = await formCall(() =>
			callerFor(locals, getClientAddress()).operator.setRedeemLimit({
				companyId: companyIdOf(params.id),
				percent,
				effectiveFrom: effectiveFrom === '' ? undefined : effectiveFrom
			})
		);
		if ('status' in outcome) {
			return fail(400, { redeem: { percent, fieldErrors: outcome.data.fieldErrors } });
		}
		if (!outcome.ok) {
			return fail(400, { redeem: { percent, fieldErrors: errorsOf(outcome.fieldErrors) } });
		}
		return { redeem: { ok: true, redeemMaxBp: outcome.redeemMaxBp } };
	},

	/** New money limits (largest bill and cashback of one operation), like a rate. */
	moneyLimits: async ({ params, request, locals, getClientAddress }) => {
		const form = await request.formData();
		const maxBill = field(form, 'maxBill');
		const maxCashback = field(form, 'maxCashback');
		const effectiveFrom = field(form, 'effectiveFrom');
		const outcome = await formCall(() =>
			callerFor(locals, getClientAddress()).operator.setMoneyLimits({
				companyId: companyIdOf(params.id),
				maxBill,
				maxCashback,
				effectiveFrom: effectiveFrom === '' ? undefined : effectiveFrom
			})
		);
		const kept = { maxBill, maxCashback };
		if ('status' in outcome) {
			return fail(400, { money: { ...kept, fieldErrors: outcome.data.fieldErrors } });
		}
		if (!outcome.ok) {
			return fail(400, { money: { ...kept, fieldErrors: errorsOf(outcome.fieldErrors) } });
		}
		return { money: { ok: true } };
	},

	rename: async ({ params, request, locals, getClientAddress }) => {
		const form = await request.formData();
		const outcome = await formCall(() =>
			callerFor(locals, getClientAddress()).operator.renameCompany({
				companyId: companyIdOf(params.id),
				name: field(form, 'name')
			})
		);
		if ('status' in outcome || !outcome.ok) return fail(400, { rename: { error: 'name' } });
		return { rename: { ok: true } };
	}
};
