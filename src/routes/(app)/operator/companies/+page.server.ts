import { callerFor } from '$server/caller';
import type { PageServerLoad } from './$types';

const STATUSES = ['pending', 'active', 'rejected'] as const;

export const load: PageServerLoad = async ({ locals, getClientAddress, url }) => {
	const companies = await callerFor(locals, getClientAddress()).operator.companies();
	const asked = url.searchParams.get('status');
	const status = STATUSES.find((s) => s === asked) ?? null;
	return { companies: status ? companies.filter((c) => c.status === status) : companies, status };
};
