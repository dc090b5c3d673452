import { expect, test, type Page } from '@playwright/test';
import { logInAs } from './support/auth';
import { waitForServiceWorker } from './support/counter';

/**
 * A code no other test can have used: the card's next one, right as its 30 s step begins
 * (redeem.spec.ts may have spent the current one moments ago; a code is accepted once).
 */
async function freshCode(page: Page): Promise<string> {
	const code = page.locator('[data-code]');
	await expect(code).toHaveAttribute('data-code', /^\d{6}$/);
	const now = (await code.getAttribute('data-code')) ?? '';
	await expect(code).not.toHaveAttribute('data-code', now, { timeout: 35_000 });
	await expect(code).toHaveAttribute('data-code', /^\d{6}$/);
	return (await code.getAttribute('data-code')) ?? '';
}

test('at a paired terminal a cashier takes a payment partly in cashback: attributed, in the X-report and the list', async ({
	page,
	browser
}, testInfo) => {
	test.setTimeout(120_000);
	await logInAs(page, 'company@kopek.local');
	await page.goto('/company/terminals');
	await page.getByLabel('Название кассы').fill('Касса кэшбэка');
	await page.getByRole('button', { name: 'Получить код подключения' }).click();
	const pairing = (await page.getByTestId('pairing-code').textContent())?.trim() ?? '';

	const use = testInfo.project.use;
	const tablet = await browser.newContext({
		baseURL: use.baseURL,
		locale: 'ru-RU',
		timezoneId: 'Europe/Moscow'
	});
	const customer = await browser.newContext({
		baseURL: use.baseURL,
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
		await t.getByLabel('Кассир').selectOption({ label: 'Борис' });
		await t.getByLabel('PIN-код').fill('2222');
		await t.getByRole('button', { name: 'Открыть смену' }).click();
		await expect(t.getByText(/Кассир: Борис · смена с/)).toBeVisible();

		const card = await customer.newPage();
		await logInAs(card, 'customer@kopek.local');
		await expect(card).toHaveURL(/\/me$/);
		const code = await freshCode(card);

		await t.getByLabel('Введите QR код или ID клиента').fill('123455');
		await t.getByRole('button', { name: 'Продолжить' }).click();
		await t.getByLabel('Сумма счета, руб.:').fill('1000');
		await t.getByLabel('Код клиента (6 цифр с карты)').fill(code);
		await t.getByRole('button', { name: 'Оплатить кэшбэком' }).click();
		const redeem = t.getByLabel('Списать кэшбэком, руб.:');
		await expect(redeem).toBeVisible();
		await redeem.fill('300');
		await t.getByRole('button', { name: 'Провести оплату' }).click();
		await expect(t.getByRole('heading', { name: 'Операция прошла успешно' })).toBeVisible();
		await expect(t.getByText(/Оплачено кэшбэком: 300,00\s₽/)).toBeVisible();
		await t.getByRole('button', { name: 'Продолжить' }).click();

		// The shift's X-report counts it, with the redeemed part.
		await t.getByRole('link', { name: 'Смена', exact: true }).click();
		const report = t.getByRole('article', { name: 'Отчёт о смене (X-отчёт)' });
		await expect(report).toContainText('Борис');
		await expect(report).toContainText(/Оплат\s*1/);
		await expect(report).toContainText(/Оплачено кэшбэком \(за вычетом возвратов\)\s*300,00\s₽/);

		// The admin's list: the terminal, the cashier and «Оплачено кэшбэком».
		await page.goto('/company/clients');
		await expect(
			page.getByRole('row').filter({ hasText: 'Касса кэшбэка' }).filter({ hasText: 'Борис' })
		).toContainText(/1\s000,00\s₽\s*300,00\s₽/);
	} finally {
		await Promise.all([tablet.close(), customer.close()]);
	}
});
