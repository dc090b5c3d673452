import { error, fail } from '@sveltejs/kit';
import { callerFor } from '$server/caller';
import { field } from '$lib/server/form-call';
import type { Actions, PageServerLoad } from './$types';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function companyIdOf(param: string): number {
	const id = Number(param);
	if (!Number.isInteger(id) || id <= 0 || id > 2_147_483_647) error(404);
	return id;
}

export const load: PageServerLoad = async ({ locals, getClientAddress, params, url }) => {
	const companyId = companyIdOf(params.id);
	const api = callerFor(locals, getClientAddress());
	const months = await api.statements.companyMonths({ companyId });
	if (!months) error(404);
	const asked = url.searchParams.get('month') ?? '';
	const month = MONTH.test(asked) ? asked : (months.months[0]?.month ?? null);
	const statement = month ? await api.statements.companyStatement({ companyId, month }) : null;
	const line = months.months.find((m) => m.month === month);
	return { companyId, ...months, month, statement, closable: line?.closable ?? false };
};

export const actions: Actions = {
	close: async ({ request, locals, getClientAddress, params }) => {
		const companyId = companyIdOf(params.id);
		const month = field(await request.formData(), 'month');
		if (!MONTH.test(month)) return fail(400, { error: 'invalid' as const });
		const outcome = await callerFor(locals, getClientAddress()).statements.close({
			companyId,
			month
		});
		return outcome.ok ? { closed: outcome.closed.length } : fail(409, { error: outcome.error });
	}
};
