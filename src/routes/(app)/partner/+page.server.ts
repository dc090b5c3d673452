import { callerFor } from '$server/caller';
import type { PageServerLoad } from './$types';

/** «Клиенты»: the partner's companies and license balance. */
export const load: PageServerLoad = async ({ locals, getClientAddress }) => {
	const overview = await callerFor(locals, getClientAddress()).partners.overview();
	return { partner: overview.partner, companies: overview.companies };
};
