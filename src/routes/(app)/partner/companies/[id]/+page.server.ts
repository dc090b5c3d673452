import { error, fail } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { callerFor } from '$server/caller';
import type { Actions, PageServerLoad } from './$types';

function companyIdOf(param: string): number {
	const id = Number(param);
	if (!/^[1-9]\d{0,9}$/.test(param) || !Number.isSafeInteger(id) || id > 2147483647) error(404);
	return id;
}

/** The client card: a company of this partner with its terminals; anyone else's is a 404. */
export const load: PageServerLoad = async ({ locals, params, getClientAddress }) => {
	const card = await callerFor(locals, getClientAddress()).partners.company({
		companyId: companyIdOf(params.id)
	});
	if (!card) error(404);
	return card;
};

export const actions: Actions = {
	/** "Зарегистрировать кассу" for this company. */
	registerDevice: async ({ request, locals, params, getClientAddress }) => {
		const name = String((await request.formData()).get('name') ?? '');
		try {
			const outcome = await callerFor(locals, getClientAddress()).partners.registerDevice({
				companyId: companyIdOf(params.id),
				name
			});
			if (!outcome.ok) error(404);
			return { registered: outcome.device.name };
		} catch (e) {
			if (e instanceof TRPCError && e.code === 'BAD_REQUEST') {
				const issue = (e.cause as { issues?: { message: string }[] } | undefined)?.issues?.[0];
				return fail(400, { name, error: issue?.message ?? 'partner.error.required' });
			}
			throw e;
		}
	}
};
