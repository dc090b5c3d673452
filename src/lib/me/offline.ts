import { clearCardCache } from './card-cache';

/**
 * The service worker keeps the last "My card" page here (network first), so the card opens
 * after a reload with no network. Only pages that really show a card are kept: never a
 * redirect to the login, never an error.
 */
export const ME_PAGE_CACHE = 'kopek-me-v1';

/** The card's pages: /me, with or without a trailing slash or query. */
export const ME_PAGES = [/^\/me\/?(\?.*)?$/];

/** The key the card page is kept under (the service worker looks it up by path). */
export const ME_PAGE_KEY = '/me';

/**
 * Keeps the card page for offline use when the service worker did not see it load: the first
 * visit (the worker registers from this very page, so it controlled nothing yet) and every
 * client-side navigation to it — the login's redirect among them, which SvelteKit follows
 * in the page (use:enhance) so no page request ever reaches the worker. Only a page that
 * really shows the card is kept: never a redirect to the login, never an error.
 */
export async function keepCardPage(): Promise<boolean> {
	if (typeof caches === 'undefined') return false;
	try {
		const response = await fetch(ME_PAGE_KEY, {
			credentials: 'same-origin',
			headers: { accept: 'text/html' }
		});
		const html = response.headers.get('content-type')?.startsWith('text/html') ?? false;
		if (!response.ok || response.redirected || !html) return false;
		await (await caches.open(ME_PAGE_CACHE)).put(ME_PAGE_KEY, response);
		return true;
	} catch {
		// Offline or storage refused: the worker keeps the page on the next load it sees.
		return false;
	}
}

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
