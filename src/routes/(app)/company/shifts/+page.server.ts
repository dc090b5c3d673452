import { callerFor } from '$server/caller';
import { isLocalDate, todayIn } from '$lib/forms/period';
import type { PageServerLoad } from './$types';

/** The X-reports of one local day: per terminal, cashier and shift (SPEC C10). */
export const load: PageServerLoad = async ({ locals, getClientAddress, url }) => {
	const caller = callerFor(locals, getClientAddress());
	const me = await caller.auth.me();
	const timeZone = me?.company?.timeZone ?? 'Europe/Moscow';
	const asked = url.searchParams.get('date') ?? '';
	const date = isLocalDate(asked) ? asked : todayIn(timeZone);
	const lines = await caller.cashiers.shiftReports({ date });
	return { date, timeZone, lines };
};
