import type { Page } from '@playwright/test';

/**
 * Holds back the app's scripts (a slow phone or tablet): the server-rendered page shows, with
 * its styles, and takes typing, but nothing of the app runs. Returns what lets them through.
 */
export async function holdScripts(page: Page): Promise<() => void> {
	let release!: () => void;
	const held = new Promise<void>((resolve) => (release = resolve));
	await page.route('**/_app/immutable/**/*.js', async (route) => {
		await held;
		await route.continue();
	});
	return release;
}

/** Waits until the app has come alive on the page (the root layout marks it). */
export async function waitForReady(page: Page): Promise<void> {
	await page.waitForFunction(() => document.documentElement.hasAttribute('data-ready'));
}
