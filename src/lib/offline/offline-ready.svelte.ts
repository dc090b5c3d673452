import { preloadCode } from '$app/navigation';

/** The counter's pages: their code must be on the device before the network goes. */
const COUNTER_ROUTES = ['/company/pay', '/company/clients', '/company/shift'];

export type OfflineReadiness = 'preparing' | 'ready' | 'unsupported';

/** Resolves once a service worker controls this page (the first one claims it at activation). */
async function controlled(container: ServiceWorkerContainer): Promise<void> {
	// `ready` resolves when a worker is active, that is once its install (the precache) is done.
	await container.ready;
	if (container.controller) return;
	await new Promise((resolve) =>
		container.addEventListener('controllerchange', resolve, { once: true })
	);
}

function afterIdle(): Promise<void> {
	return new Promise((resolve) => {
		if ('requestIdleCallback' in window) requestIdleCallback(() => resolve(), { timeout: 2000 });
		else setTimeout(resolve, 500);
	});
}

/**
 * Whether the counter can work with no network: the service worker has precached the app and
 * controls the page, and the code of every counter page is loaded. Until then a page opened
 * offline would end on an error (its code cannot be fetched), so the cashier is told to wait.
 */
class OfflineReady {
	state: OfflineReadiness = $state('preparing');
	#started = false;

	start(): void {
		if (this.#started) return;
		this.#started = true;
		if (!('serviceWorker' in navigator)) {
			this.state = 'unsupported';
			return;
		}
		// Loaded now, the pages' code stays in this tab: switching page offline before the worker
		// takes over works too, instead of failing on a chunk the network cannot give.
		// After the page has settled, so it costs the first paint and the first input nothing.
		// Failed (the network went first), it is tried again from the worker's precache.
		const worker = controlled(navigator.serviceWorker);
		const preload = () => Promise.all(COUNTER_ROUTES.map((route) => preloadCode(route)));
		const code = afterIdle()
			.then(preload)
			.catch(() => worker.then(preload));
		void Promise.all([code, worker]).then(
			() => (this.state = 'ready'),
			() => {}
		);
	}
}

export const offlineReady = new OfflineReady();
