import { callerFor } from '$server/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, getClientAddress }) => {
	const caller = callerFor(locals, getClientAddress());
	const [overview, probes] = await Promise.all([
		caller.statements.overview(),
		caller.operator.customerProbes()
	]);
	return { overview, probes };
};
