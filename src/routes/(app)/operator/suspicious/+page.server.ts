import { callerFor } from '$server/caller';
import { holdActions } from '$lib/server/hold-actions';
import type { Actions, PageServerLoad } from './$types';

/** «Подозрительные операции»: held cashback waiting for a decision (issue 18). */
export const load: PageServerLoad = async ({ locals, getClientAddress, url }) => {
	const open = url.searchParams.get('all') !== '1';
	const holds = await callerFor(locals, getClientAddress()).review.operatorList({ open });
	return { holds, open };
};

export const actions: Actions = holdActions('operator');
