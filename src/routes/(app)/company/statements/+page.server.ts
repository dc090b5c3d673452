import { error } from '@sveltejs/kit';
import { callerFor } from '$server/caller';
import { getConfig } from '$server/config';
import type { PageServerLoad } from './$types';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export const load: PageServerLoad = async ({ locals, getClientAddress, url }) => {
	const api = callerFor(locals, getClientAddress());
	const months = await api.statements.myMonths();
	if (!months) error(404);
	const asked = url.searchParams.get('month') ?? '';
	const month = MONTH.test(asked) ? asked : (months.months[0]?.month ?? null);
	const statement = month ? await api.statements.myStatement({ month }) : null;
	return { ...months, month, statement, closeDay: getConfig().KOPEK_STATEMENT_CLOSE_DAY };
};
