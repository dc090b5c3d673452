import { fail, type Actions, type RequestEvent } from '@sveltejs/kit';
import { callerFor } from '$server/caller';
import { field, formCall } from '$lib/server/form-call';

type Decision = 'confirm' | 'cancel';

/**
 * The «Подозрительные операции» form actions (confirm, cancel) for the operator's page and the
 * company's: the same forms, each through its own role's procedures.
 */
export function holdActions(role: 'operator' | 'company'): Actions {
	const decide = (decision: Decision) => async (event: RequestEvent) => {
		const form = await event.request.formData();
		const operationId = field(form, 'operationId');
		const review = callerFor(event.locals, event.getClientAddress()).review;
		const call =
			role === 'operator'
				? decision === 'confirm'
					? review.operatorConfirm
					: review.operatorCancel
				: decision === 'confirm'
					? review.companyConfirm
					: review.companyCancel;
		const outcome = await formCall(() => call({ operationId }));
		if ('status' in outcome) return fail(400, { decision, operationId, error: 'not_found' });
		if (!outcome.ok) return fail(400, { decision, operationId, error: outcome.error });
		return { decision, operationId, ok: true };
	};
	return { confirm: decide('confirm'), cancel: decide('cancel') };
}
