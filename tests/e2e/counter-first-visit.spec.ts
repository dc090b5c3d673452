import { expect, test } from '@playwright/test';
import { logInAs } from './support/auth';
import { waitForReady } from './support/hydration';

// The server's answer is held at the network; a service worker would fetch it past the route.
test.use({ serviceWorkers: 'block' });

const NEVER_OPENED = 'Касса ещё не открывалась на этом устройстве';

/**
 * A signed-in owner opening the counter for the first time on this device, online: between
 * the (empty) IndexedDB read and the server's `auth.me` answer, the page said the till had
 * never been opened here and offered «Войти». It is the calm «Загрузка…» until the answer
 * comes; the card is for a device offline that never opened a till (offline-ready.spec.ts).
 */
test('a first visit online waits for auth.me with «Загрузка…», never the never-opened card', async ({
	page
}) => {
	await logInAs(page, 'company@kopek.local');
	// A first visit: nothing of the counter on this device.
	await page.evaluate(async () => {
		const names = (await indexedDB.databases()).map((db) => db.name ?? '');
		await Promise.all(
			names.map(
				(name) =>
					new Promise((done) => {
						const request = indexedDB.deleteDatabase(name);
						request.onsuccess = request.onerror = request.onblocked = done;
					})
			)
		);
		for (const key of await caches.keys()) await caches.delete(key);
	});
	// Every change of the page is looked at: the card must not show, not even for a frame.
	await page.addInitScript((text) => {
		const seen = () => {
			if (document.documentElement.textContent?.includes(text))
				(window as { sawNeverOpened?: boolean }).sawNeverOpened = true;
		};
		new MutationObserver(seen).observe(document, {
			childList: true,
			subtree: true,
			characterData: true
		});
	}, NEVER_OPENED);
	let release!: () => void;
	const held = new Promise<void>((resolve) => (release = resolve));
	let asked = 0;
	await page.route(
		(url) => url.pathname.startsWith('/api/trpc/') && url.pathname.includes('auth.me'),
		async (route) => {
			asked += 1;
			await held;
			await route.continue();
		}
	);

	await page.goto('/company/pay');
	await waitForReady(page);
	await expect.poll(() => asked).toBeGreaterThan(0);
	// The app has mounted and read the (empty) IndexedDB meanwhile; the answer is still held.
	// Looked at as it is, again and again (no waiting for a wanted text to come).
	for (let i = 0; i < 20; i++) {
		expect((await page.locator('main').innerText()).trim()).toBe('Загрузка…');
		await page.waitForTimeout(50);
	}
	expect(await page.evaluate(() => (window as { sawNeverOpened?: boolean }).sawNeverOpened)).toBe(
		undefined
	);

	release();
	// Step 1: a new device is registered first (its name), a known one asks for the customer.
	await expect(page.getByLabel('Название кассы').or(page.getByLabel(/QR код/))).toBeVisible();
	await expect(page.getByText(NEVER_OPENED)).toHaveCount(0);
	expect(await page.evaluate(() => (window as { sawNeverOpened?: boolean }).sawNeverOpened)).toBe(
		undefined
	);
});

/** The card stays for a device with nothing cached that cannot learn who it is. */
test('with nothing cached, the never-opened card shows once auth.me fails, or the device goes offline', async ({
	page,
	context
}) => {
	await logInAs(page, 'company@kopek.local');
	const card = page.getByText(NEVER_OPENED);
	const login = page.getByRole('main').getByRole('link', { name: 'Войти' });

	// Online as far as the browser knows, but the question does not reach the server.
	await page.route(
		(url) => url.pathname.startsWith('/api/trpc/') && url.pathname.includes('auth.me'),
		(route) => route.abort('internetdisconnected')
	);
	await page.goto('/company/pay');
	await expect(card).toBeVisible();
	await expect(login).toHaveAttribute('href', '/login?next=%2Fcompany%2Fpay');
	await page.unrouteAll();

	// The answer on its way when the network goes: the device is offline, the card shows.
	let release!: () => void;
	const held = new Promise<void>((resolve) => (release = resolve));
	await page.route(
		(url) => url.pathname.startsWith('/api/trpc/') && url.pathname.includes('auth.me'),
		async (route) => {
			await held;
			await route.abort('internetdisconnected');
		}
	);
	await page.reload();
	await waitForReady(page);
	await expect(page.locator('main')).toHaveText('Загрузка…');
	await context.setOffline(true);
	await expect(card).toBeVisible();
	await expect(login).toBeVisible();
	release();
	await context.setOffline(false);
});
