import { callerFor } from '$server/caller';
import type { PageServerLoad } from './$types';

/** "My card": the customer's ID, balance and history, also kept on the device for offline use. */
export const load: PageServerLoad = async ({ locals, getClientAddress }) => {
	return { card: await callerFor(locals, getClientAddress()).me.card() };
};
