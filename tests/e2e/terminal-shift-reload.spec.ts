import { expect, test } from '@playwright/test';
import { logInAs } from './support/auth';
import { pay } from './support/counter';
import { openShift, pairTerminal } from './support/terminal';

/** The shift as kept in the terminal's IndexedDB (src/lib/offline/shift.svelte.ts). */
function storedShift(t: import('@playwright/test').Page) {
	return t.evaluate(
		() =>
			new Promise<{ openedAt: number; lastActivityAt: number } | undefined>((resolve, reject) => {
				const open = indexedDB.open('kopek-counter');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const get = open.result.transaction('meta').objectStore('meta').get('shift');
					get.onsuccess = () => resolve(get.result);
					get.onerror = () => reject(get.error);
				};
			})
	);
}

test('a reload 60 s after a payment keeps the shift open: the last activity was saved (issue 19)', async ({
	page,
	browser
}, testInfo) => {
	test.setTimeout(90_000);
	await logInAs(page, 'company@kopek.local');
	const { tablet, t } = await pairTerminal(page, browser, {
		baseURL: testInfo.project.use.baseURL,
		name: 'Касса перезагрузки',
		idleSeconds: 120,
		// The tablet's clock is Playwright's: minutes pass at once, and a reload keeps the time.
		beforePairing: (tab) => tab.clock.install()
	});
	await openShift(t);
	const opened = await storedShift(t);
	expect(opened).toBeTruthy();

	// 90 s without a touch, then a payment (keys and clicks: the cashier is active)…
	await t.clock.fastForward('01:30');
	await pay(t, '123455', '100');
	const afterPayment = await storedShift(t);
	expect(afterPayment!.lastActivityAt - opened!.openedAt).toBeGreaterThanOrEqual(90_000);

	// …and a reload 60 s later: 150 s after the opening but 60 s after the payment, within
	// the 120 s idle lock — the shift goes on, no PIN asked.
	await t.clock.fastForward('01:00');
	await t.reload();
	await expect(t.getByText(/Кассир: Анна · смена с/)).toBeVisible();
	await expect(t.getByRole('heading', { name: 'Касса заблокирована' })).toHaveCount(0);
	await expect(t.getByLabel('Введите QR код или ID клиента')).toBeVisible();
	await tablet.close();
});
