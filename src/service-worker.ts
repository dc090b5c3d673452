/// <reference lib="webworker" />
import { createTRPCClient, httpLink } from '@trpc/client';
import superjson from 'superjson';
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import type { AppRouter } from '../server/root';
import { ME_PAGE_CACHE, ME_PAGE_KEY, ME_PAGES } from './lib/me/offline';
import { serverClock } from './lib/offline/clock';
import { countOutbox } from './lib/offline/outbox';
import { createObservingFetch } from './lib/offline/server-fetch';
import { BACKGROUND_SYNC_TAG, drainUnderLock } from './lib/offline/sync';

declare const self: ServiceWorkerGlobalScope;

/** The prerendered counter shell (src/routes/(counter)/counter-shell), precached at install. */
const COUNTER_SHELL = '/counter-shell';
/** The counter's pages: they must open with no network at all. */
const COUNTER_PAGES = [/^\/company\/(pay|clients|shift)\/?(\?.*)?$/];
/** A navigation that has not answered by then is served from the shell instead. */
const NAVIGATION_TIMEOUT_MS = 4000;

cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);
// The first worker controls the open counter at once, so it works offline without a reload.
// A later version activates only when a person accepts the update (see the message handler).
clientsClaim();

async function networkWithTimeout(request: Request): Promise<Response> {
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(), NAVIGATION_TIMEOUT_MS);
	try {
		return await fetch(request, { signal: controller.signal });
	} finally {
		clearTimeout(timer);
	}
}

// Network first (the server checks the session and may redirect to the login); the shell
// when the network fails or the server is down (a proxy's 502 counts too). The shell renders
// the page of the URL in the browser.
registerRoute(
	new NavigationRoute(
		async ({ request }) => {
			const shell = () => matchPrecache(COUNTER_SHELL);
			try {
				const response = await networkWithTimeout(request);
				if (response.status < 500) return response;
				return (await shell()) ?? response;
			} catch {
				return (await shell()) ?? Response.error();
			}
		},
		{ allowlist: COUNTER_PAGES }
	)
);

// The customer's card: network first; a page that really shows the card is kept, and served
// when the network fails. A redirect (signed out) or an error is passed on and never kept.
registerRoute(
	new NavigationRoute(
		async ({ request }) => {
			const cache = await caches.open(ME_PAGE_CACHE);
			try {
				const response = await networkWithTimeout(request);
				if (response.ok && !response.redirected) {
					await cache.put(ME_PAGE_KEY, response.clone());
				}
				return response;
			} catch {
				// The page also keeps itself (keepCardPage) where the worker never saw it load.
				return (await cache.match(ME_PAGE_KEY)) ?? Response.error();
			}
		},
		{ allowlist: ME_PAGES }
	)
);

const trpc = createTRPCClient<AppRouter>({
	links: [httpLink({ url: '/api/trpc', transformer: superjson, fetch: createObservingFetch() })]
});

interface SyncEvent extends ExtendableEvent {
	readonly tag: string;
}

// Background Sync (Chromium): drains the same IndexedDB outbox as the pages, under the same
// Web Lock, after the tab is gone. A failure makes the browser try again later.
self.addEventListener('sync', (event) => {
	const syncEvent = event as SyncEvent;
	if (syncEvent.tag !== BACKGROUND_SYNC_TAG) return;
	syncEvent.waitUntil(
		serverClock
			.enablePersistence()
			.then(() =>
				drainUnderLock((batch, { signal }) => trpc.payments.sync.mutate(batch, { signal }))
			)
	);
});

// A new version waits until a person accepts it, and never takes over while the outbox
// holds operations: the page says so; this is the backstop.
self.addEventListener('message', (event) => {
	if ((event.data as { type?: string } | null)?.type !== 'SKIP_WAITING') return;
	event.waitUntil(countOutbox().then((held) => (held === 0 ? self.skipWaiting() : undefined)));
});
