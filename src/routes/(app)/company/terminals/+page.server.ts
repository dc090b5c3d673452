import type { PageServerLoad } from './$types';
import { callerFor } from '$server/caller';

export const load: PageServerLoad = async ({ locals, getClientAddress }) => {
	const caller = callerFor(locals, getClientAddress());
	const [terminals, me] = await Promise.all([caller.devices.list(), caller.auth.me()]);
	// Times in the company's zone, the same on the server and in the browser.
	return { terminals, timeZone: me?.company?.timeZone ?? 'Europe/Moscow' };
};
