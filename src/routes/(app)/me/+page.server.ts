import { callerFor } from '$server/caller';
import { CARD_HISTORY_MAX } from '$server/routers/me';
import type { PageServerLoad } from './$types';

/**
 * "My card": the customer's ID, balance and history, also kept on the device for offline use.
 * `?shown=N` shows the latest N operations («Показать ещё» asks for a page more).
 */
export const load: PageServerLoad = async ({ locals, getClientAddress, url }) => {
	const asked = Number(url.searchParams.get('shown'));
	const shown =
		Number.isInteger(asked) && asked > 0 ? Math.min(asked, CARD_HISTORY_MAX) : undefined;
	return { card: await callerFor(locals, getClientAddress()).me.card({ shown }) };
};
