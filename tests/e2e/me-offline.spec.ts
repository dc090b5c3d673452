import { expect, test } from '@playwright/test';
import { logInAs } from './support/auth';
import { waitForServiceWorker } from './support/counter';

test('"My card" opens after a reload with no network, and logout forgets it', async ({
	page,
	context
}) => {
	await logInAs(page, 'customer@kopek.local');
	await expect(page).toHaveURL(/\/me$/);
	await expect(page.getByText('123455')).toBeVisible();
	await waitForServiceWorker(page);
	// the worker keeps the page it serves from now on: load it once through the worker
	await page.reload();
	await expect(page.getByText('123455')).toBeVisible();

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
