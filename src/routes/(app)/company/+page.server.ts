import type { PageServerLoad } from './$types';
import { callerFor } from '$server/caller';

export const load: PageServerLoad = async ({ locals, getClientAddress }) => {
	const me = await callerFor(locals, getClientAddress()).auth.me();
	return { company: me?.company ?? null };
};
