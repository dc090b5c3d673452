import { callerFor } from '$server/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, getClientAddress }) => ({
	overview: await callerFor(locals, getClientAddress()).statements.overview()
});
