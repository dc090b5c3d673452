import { callerFor } from '$server/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, getClientAddress }) => ({
	companies: await callerFor(locals, getClientAddress()).operator.companies()
});
