import { isLocale, type Locale } from '$lib/i18n';
import { getCachedIdentity } from '$lib/offline';
import { counter } from '$lib/offline/counter.svelte';
import type { LayoutLoad } from './$types';

// The counter renders in the browser only and has no server load anywhere in its chain:
// a server load would make every navigation fetch __data.json, which fails offline.
export const ssr = false;

/** The locale comes from the cached identity (offline) or the page the server sent. */
export const load: LayoutLoad = async () => {
	counter.prefetchIdentity();
	const identity = await getCachedIdentity().catch(() => null);
	const fromDocument = document.documentElement.lang;
	const locale: Locale = identity?.locale ?? (isLocale(fromDocument) ? fromDocument : 'ru');
	return { locale, identity };
};
