/// <reference types="vite-plugin-pwa/vanillajs" />
import { registerSW } from 'virtual:pwa-register';

export interface PwaHandle {
	/** Tells the waiting worker to take over; the page reloads when it does. */
	activateUpdate(): Promise<void>;
}

let handle: PwaHandle | null = null;

/**
 * Registers the service worker (once per tab). `onUpdateReady` fires when a new version has
 * installed and waits: it never takes over by itself (registerType "prompt").
 */
export function registerServiceWorker(onUpdateReady: () => void): PwaHandle {
	if (handle) return handle;
	const update = registerSW({ immediate: true, onNeedRefresh: onUpdateReady });
	handle = { activateUpdate: () => update(true) };
	return handle;
}
