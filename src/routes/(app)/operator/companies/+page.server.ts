import { callerFor } from '$server/caller';
import type { PageServerLoad } from './$types';

const STATUSES = ['pending', 'active', 'rejected'] as const;

/** `?status=` filters by status; `?month=YYYY-MM` chooses the month of the cashback totals. */
export const load: PageServerLoad = async ({ locals, getClientAddress, url }) => {
	const api = callerFor(locals, getClientAddress());
	const asked = url.searchParams.get('status');
	const status = STATUSES.find((s) => s === asked) ?? null;
	const month = url.searchParams.get('month');
	const anchor = month && /^\d{4}-(0[1-9]|1[0-2])$/.test(month) ? `${month}-01` : undefined;
	const [companies, totals] = await Promise.all([
		api.operator.companies(),
		api.operator.cashbackTotals({ period: { kind: 'month', anchor } })
	]);
	return {
		companies: status ? companies.filter((c) => c.status === status) : companies,
		status,
		totals,
		month: anchor?.slice(0, 7) ?? null
	};
};
