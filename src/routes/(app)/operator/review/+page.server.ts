import { callerFor } from '$server/caller';
import { reviewActions } from '$lib/server/review-actions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, getClientAddress }) => ({
	queue: await callerFor(locals, getClientAddress()).operator.reviewQueue()
});

export const actions: Actions = reviewActions;
