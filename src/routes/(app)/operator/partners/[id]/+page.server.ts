import { error, fail } from '@sveltejs/kit';
import { callerFor } from '$server/caller';
import { field, formCall } from '$lib/server/form-call';
import type { Actions, PageServerLoad } from './$types';

function partnerIdOf(param: string): number {
	const id = Number(param);
	if (!Number.isSafeInteger(id) || id <= 0) error(404, 'Not found');
	return id;
}

export const load: PageServerLoad = async ({ params, locals, getClientAddress }) => {
	const ledger = await callerFor(locals, getClientAddress()).operator.ledger({
		partnerId: partnerIdOf(params.id)
	});
	if (!ledger) error(404, 'Not found');
	return ledger;
};

export const actions: Actions = {
	grant: async ({ params, request, locals, getClientAddress }) => {
		const form = await request.formData();
		const count = Number(field(form, 'count'));
		const note = field(form, 'note');
		const outcome = await formCall(() =>
			callerFor(locals, getClientAddress()).operator.grantLicenses({
				partnerId: partnerIdOf(params.id),
				count,
				note: note === '' ? undefined : note
			})
		);
		if ('status' in outcome || !outcome.ok) return fail(400, { grant: { error: 'count' } });
		return { grant: { ok: true, count, left: outcome.left } };
	}
};
