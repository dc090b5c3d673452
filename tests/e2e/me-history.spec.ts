import { expect, test } from '@playwright/test';
import { logInAs } from './support/auth';

/**
 * Issue 19 item 11: the card's history had no paging (37 rows, an 8 300 px page on a phone).
 * It shows the latest 20; «Показать ещё» brings 20 more from the server.
 */
test('the card’s history comes 20 at a time, «Показать ещё» brings more', async ({ page }) => {
	await page.setViewportSize({ width: 390, height: 844 });
	await logInAs(page, 'customer@kopek.local');
	const history = page.getByRole('region', { name: 'История', exact: true });
	const rows = history.locator('tbody tr');
	await expect(rows).toHaveCount(20);
	await expect(history).toContainText(/Показаны последние 20 операций из \d+/);
	const total = Number(/из (\d+)/.exec((await history.textContent()) ?? '')![1]);
	expect(total).toBeGreaterThan(20);

	await history.getByRole('link', { name: 'Показать ещё' }).click();
	await expect(rows).toHaveCount(Math.min(total, 40));
	await expect(page).toHaveURL(/[?&]shown=40/);
});
