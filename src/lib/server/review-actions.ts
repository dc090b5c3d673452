import { fail, type RequestEvent } from '@sveltejs/kit';
import { callerFor } from '$server/caller';
import { errorsOf, field, formCall } from './form-call';

/**
 * The operator's approve/reject form actions, shared by the review queue and the company page.
 * Answers carry the company ID so the page shows the outcome beside the right company.
 */
export const reviewActions = {
	approve: async ({ request, locals, getClientAddress }: RequestEvent) => {
		const form = await request.formData();
		const companyId = Number(field(form, 'companyId'));
		const percent = form.get('percent');
		const api = callerFor(locals, getClientAddress());
		const outcome = await formCall(() =>
			api.operator.approve({
				companyId,
				percent: typeof percent === 'string' ? percent : undefined
			})
		);
		if ('status' in outcome) return fail(400, { review: { companyId, error: 'not_found' } });
		if (!outcome.ok) {
			return fail(400, {
				review: {
					companyId,
					fieldErrors: errorsOf(outcome.fieldErrors),
					error: 'error' in outcome ? outcome.error : null
				}
			});
		}
		const company = await api.operator.company({ companyId });
		return { review: { companyId, done: 'approved' as const, name: company?.name ?? '' } };
	},

	reject: async ({ request, locals, getClientAddress }: RequestEvent) => {
		const form = await request.formData();
		const companyId = Number(field(form, 'companyId'));
		const api = callerFor(locals, getClientAddress());
		const outcome = await formCall(() =>
			api.operator.reject({ companyId, reason: field(form, 'reason') })
		);
		if ('status' in outcome) return fail(400, { review: { companyId, error: 'not_found' } });
		if (!outcome.ok) {
			return fail(400, {
				review: {
					companyId,
					fieldErrors: errorsOf(outcome.fieldErrors),
					error: 'error' in outcome ? outcome.error : null
				}
			});
		}
		const company = await api.operator.company({ companyId });
		return { review: { companyId, done: 'rejected' as const, name: company?.name ?? '' } };
	}
};
