import { expect, test } from '@playwright/test';
import { logInAs } from './support/auth';
import { waitForServiceWorker } from './support/counter';

/**
 * Issue 19 item 8 at the terminal: the X-report says its takings are net of refunds, and what
 * the device tells the cashier about its storage is on the screen, never on the printed report.
 */
test('the printed X-report carries its figures, labelled net of refunds, and not the storage notice', async ({
	page,
	browser
}, testInfo) => {
	await logInAs(page, 'company@kopek.local');
	await page.goto('/company/terminals');
	await page.getByLabel('Название кассы').fill('Касса печати');
	await page.getByRole('button', { name: 'Получить код подключения' }).click();
	const pairing = (await page.getByTestId('pairing-code').textContent())?.trim() ?? '';

	const tablet = await browser.newContext({
		baseURL: testInfo.project.use.baseURL,
		locale: 'ru-RU',
		timezoneId: 'Europe/Moscow'
	});
	try {
		const t = await tablet.newPage();
		await t.goto('/pair');
		await t.getByLabel('Код подключения').fill(pairing);
		await t.getByRole('button', { name: 'Подключить кассу' }).click();
		await expect(t).toHaveURL(/\/company\/pay$/);
		await waitForServiceWorker(t);
		await t.getByLabel('Кассир').selectOption({ label: 'Анна' });
		await t.getByLabel('PIN-код').fill('1111');
		await t.getByRole('button', { name: 'Открыть смену' }).click();
		await t.getByRole('link', { name: 'Смена', exact: true }).click();

		const report = t.getByRole('article', { name: 'Отчёт о смене (X-отчёт)' });
		await expect(report).toContainText('Выручка (за вычетом возвратов)');
		// the device's storage notice (a warning where the browser may clear the data)
		const storage = t.getByText(/Браузер (может удалить|не удалит) данные кассы/);
		await expect(storage).toBeVisible();

		await t.emulateMedia({ media: 'print' });
		await expect(report).toBeVisible();
		await expect(report).toContainText('Выручка (за вычетом возвратов)');
		await expect(storage).toBeHidden();
	} finally {
		await tablet.close();
	}
});
