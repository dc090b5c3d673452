import { expect, test, type Page } from '@playwright/test';
import { logInAs } from './support/auth';
import { waitForServiceWorker } from './support/counter';

/** The app is ready offline: its worker controls the page and the card page is kept. */
async function waitForCardKept(page: Page) {
	await waitForServiceWorker(page);
	await expect
		.poll(() =>
			page.evaluate(async () => (await caches.open('kopek-me-v1')).match('/me').then(Boolean))
		)
		.toBe(true);
}

test('"My card" opens after a reload with no network, and logout forgets it', async ({
	page,
	context
}) => {
	await logInAs(page, 'customer@kopek.local');
	await expect(page).toHaveURL(/\/me$/);
	await expect(page.getByText('123455')).toBeVisible();
	// the person waits a moment on the card (the app installs itself), then loses the network
	await waitForCardKept(page);

	await context.setOffline(true);
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Моя карта' })).toBeVisible();
	await expect(page.getByText('123455')).toBeVisible();
	await expect(page.getByRole('img', { name: /QR/ })).toBeVisible();
	await context.setOffline(false);

	await page.getByRole('button', { name: 'Выйти' }).click();
	await expect(page).toHaveURL(/\/login/);
	const kept = await page.evaluate(async () => ({
		pages: (await caches.keys()).includes('kopek-me-v1'),
		card: localStorage.getItem('kopek.me.card.v1')
	}));
	expect(kept).toEqual({ pages: false, card: null });

	// offline and signed out: the card is not shown to the next person
	await context.setOffline(true);
	const response = await page.goto('/me').catch(() => null);
	expect(response === null || !(await page.getByText('123455').isVisible())).toBe(true);
	await context.setOffline(false);
});

test('"My card" opens offline right after the login, with the app already installed', async ({
	page,
	context
}) => {
	// A first visit installs the app; then the person logs out and in again on this device:
	// the login's redirect to the card happens inside the page, the worker never sees /me load.
	await logInAs(page, 'customer@kopek.local');
	await waitForServiceWorker(page);
	await page.getByRole('button', { name: 'Выйти' }).click();
	await expect(page).toHaveURL(/\/login/);

	await logInAs(page, 'customer@kopek.local');
	await expect(page).toHaveURL(/\/me$/);
	await expect(page.getByText('123455')).toBeVisible();
	await waitForCardKept(page);

	await context.setOffline(true);
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Моя карта' })).toBeVisible();
	await expect(page.getByText('123455')).toBeVisible();
	await expect(page.getByText('Иванов Иван')).toBeVisible();
	await context.setOffline(false);
});
