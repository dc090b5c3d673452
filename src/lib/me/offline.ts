import { clearCardCache } from './card-cache';

/**
 * The service worker keeps the last "My card" page here (network first), so the card opens
 * after a reload with no network. Only pages that really show a card are kept: never a
 * redirect to the login, never an error.
 */
export const ME_PAGE_CACHE = 'kopek-me-v1';

/** The card's pages: /me, with or without a trailing slash or query. */
export const ME_PAGES = [/^\/me\/?(\?.*)?$/];

/**
 * Forgets the customer's card on this device (at logout): the saved card data and the kept
 * page. A shared device must not show the last customer's card to the next person.
 */
export async function forgetCustomerCard(): Promise<void> {
	clearCardCache();
	try {
		if (typeof caches !== 'undefined') await caches.delete(ME_PAGE_CACHE);
	} catch {
		/* no Cache Storage here: nothing was kept */
	}
}
