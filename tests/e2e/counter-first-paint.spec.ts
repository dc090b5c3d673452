import { expect, test } from '@playwright/test';
import { logInAs } from './support/auth';
import { holdScripts, waitForReady } from './support/hydration';

// The scripts are held back at the network; a service worker would serve them past the route.
test.use({ serviceWorkers: 'block' });

/**
 * Issue 19 item 13: the counter renders in the browser only, so a cheap tablet showed a blank
 * screen until its scripts had arrived and run. Its HTML now paints a calm first picture — the
 * header bar and «Загрузка…», nothing about the user or the company — which the app replaces.
 */
test('the counter paints its header and «Загрузка…» before its scripts run, then the app takes over', async ({
	page,
	request
}) => {
	await page.setViewportSize({ width: 390, height: 844 });
	await logInAs(page, 'company@kopek.local');
	const release = await holdScripts(page);
	await page.goto('/company/pay', { waitUntil: 'domcontentloaded' });

	await expect(page.getByText('Загрузка…')).toBeVisible();
	await expect(page.getByRole('link', { name: 'Kopek' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Меню' })).toBeDisabled();
	// nothing that would be wrong before the device's state is known
	await expect(page.getByText('company@kopek.local')).toHaveCount(0);
	await expect(page.locator('main')).toHaveText('Загрузка…');

	release();
	await waitForReady(page);
	await expect(page.getByLabel('Название кассы').or(page.getByLabel(/QR код/))).toBeVisible();
	// the picture is gone: one header, one main, one «Меню»
	await expect(page.locator('#kopek-skeleton')).toHaveCount(0);
	await expect(page.getByRole('banner')).toHaveCount(1);
	await expect(page.getByRole('main')).toHaveCount(1);
	await expect(page.getByRole('button', { name: 'Меню' })).toBeEnabled();

	// The offline shell (served for the counter's pages without a network) paints it too.
	const shell = await (await request.get('/counter-shell')).text();
	expect(shell).toContain('<div id="kopek-skeleton">');
});

test('the counter’s and the card’s modules are preloaded at low priority, not by a Link header', async ({
	page
}) => {
	await logInAs(page, 'company@kopek.local');
	const pay = await page.request.get('/company/pay');
	expect(pay.headers()['link']).toBeUndefined();
	expect(await pay.text()).toMatch(
		/<link href="[^"]+\.js" rel="modulepreload" fetchpriority="low">/
	);

	await page.context().clearCookies();
	await logInAs(page, 'customer@kopek.local');
	const me = await page.request.get('/me');
	expect(me.headers()['link']).toBeUndefined();
	const html = await me.text();
	expect(html).toMatch(/<link href="[^"]+\.js" rel="modulepreload" fetchpriority="low">/);
	expect(html).not.toContain('kopek-skeleton');
});
