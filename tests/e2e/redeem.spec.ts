import { chromium, expect, test, type Page } from '@playwright/test';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromiumArgs, chromiumPath } from '../../playwright.config';
import { logInAs } from './support/auth';
import { openCounter, waitForServiceWorker } from './support/counter';
import { writeQrY4m } from './support/y4m';

/** The balance the card shows, in kopecks. */
async function cardBalance(page: Page): Promise<number> {
	const text =
		(await page.getByRole('region', { name: 'Кэшбэк на счёте' }).getByText(/₽/).textContent()) ??
		'';
	return Number(text.replace(/[^\d]/g, ''));
}

/** The code the card shows now, once at least `margin` seconds of its step remain. */
async function currentCode(page: Page, margin = 12): Promise<string> {
	const code = page.locator('[data-code]');
	await expect(code).toBeVisible();
	const left = () => 30 - (Math.floor(Date.now() / 1000) % 30);
	if (left() < margin) await page.waitForTimeout(left() * 1000 + 500);
	await expect(code).toHaveAttribute('data-code', /^\d{6}$/);
	return (await code.getAttribute('data-code')) ?? '';
}

test('the counter scans the card’s QR and takes 300 ₽ of a 1 000 ₽ bill in cashback; a refund gives it back', async ({
	page
}) => {
	test.setTimeout(120_000);
	await logInAs(page, 'customer@kopek.local');
	await expect(page).toHaveURL(/\/me$/);
	const before = await cardBalance(page);
	expect(before).toBeGreaterThan(300_00);
	const code = await currentCode(page);
	await expect(
		page.getByRole('img', { name: `QR код для оплаты кэшбэком: карта 123455, код ${code}` })
	).toBeVisible();

	// The counter is another browser whose fake camera films that QR.
	const video = path.join(tmpdir(), `kopek-redeem-${process.pid}-${Date.now()}.y4m`);
	writeQrY4m(video, `KOPEK1:123455:${code}`);
	const browser = await chromium.launch({
		executablePath: chromiumPath,
		args: [
			...chromiumArgs,
			'--use-fake-ui-for-media-stream',
			'--use-fake-device-for-media-stream',
			`--use-file-for-fake-video-capture=${video}`
		]
	});
	try {
		const context = await browser.newContext({
			baseURL: test.info().project.use.baseURL,
			locale: 'ru-RU',
			timezoneId: 'Europe/Moscow',
			permissions: ['camera']
		});
		const counter = await context.newPage();
		await logInAs(counter, 'company@kopek.local');
		await openCounter(counter, 'Касса кэшбэк');
		await counter.getByRole('button', { name: 'Сканировать QR код клиента' }).click();
		await expect(counter.getByLabel('Сумма счета, руб.:')).toBeVisible({ timeout: 20_000 });
		await expect(counter.getByText('Иванов Иван')).toBeVisible();
		await counter.getByLabel('Сумма счета, руб.:').fill('1000');
		// The code came with the QR: one click asks the server for the balance and the limit.
		await expect(counter.getByLabel('Код клиента (6 цифр с карты)')).toHaveValue(code);
		await counter.getByRole('button', { name: 'Оплатить кэшбэком' }).click();
		await expect(counter.getByText(/Можно оплатить до 50\s?%/)).toBeVisible();
		const redeem = counter.getByLabel('Списать кэшбэком, руб.:');
		// The default is the most allowed: half the bill (the demo balance is larger).
		await expect(redeem).toHaveValue(/^500(,00)?$/);
		await redeem.fill('300');
		await expect(counter.getByLabel('К оплате:')).toHaveText(/^700,00\s₽$/);
		await expect(counter.getByLabel('Cash Back, руб.:')).toHaveText(/^70(,00)?$/);
		await counter.getByRole('button', { name: 'Провести оплату' }).click();
		await expect(counter.getByRole('heading', { name: 'Операция прошла успешно' })).toBeVisible();
		await expect(counter.getByText(/Оплачено деньгами: 700,00\s₽/)).toBeVisible();
		await expect(counter.getByText(/Оплачено кэшбэком: 300,00\s₽/)).toBeVisible();
		await expect(counter.getByText(/Начислено: 70,00\s₽/)).toBeVisible();

		// The customer's card shows the lower balance and the redemption in the history.
		await page.reload();
		expect(await cardBalance(page)).toBe(before - 300_00 + 70_00);
		await expect(page.getByRole('row', { name: /Albixe.*300,00/ }).first()).toBeVisible();

		// «Клиенты»: the «Оплачено кэшбэком» column; the refund returns the redeemed part.
		await counter.goto('/company/clients');
		const row = counter.getByRole('row', { name: /Иванов Иван.*1\s000,00\s₽ 300,00\s₽/ }).first();
		await expect(row).toBeVisible();
		await row.getByRole('button', { name: 'Вернуть' }).click();
		await counter.getByLabel('Причина возврата').fill('Возврат товара');
		await counter.getByRole('button', { name: 'Оформить возврат' }).click();
		await expect(counter.getByText(/Возврат оформлен/)).toBeVisible();
		await page.reload();
		expect(await cardBalance(page)).toBe(before);
	} finally {
		await browser.close();
	}
});

test('offline, step 2 says paying with cashback needs a connection and still takes the payment', async ({
	page,
	context
}) => {
	await logInAs(page, 'company@kopek.local');
	await openCounter(page, 'Касса офлайн');
	await waitForServiceWorker(page);
	await context.setOffline(true);
	await page.getByLabel('Введите QR код или ID клиента').fill('KOPEK1:123455:123456');
	await page.getByRole('button', { name: 'Продолжить' }).click();
	await expect(page.getByLabel('Сумма счета, руб.:')).toBeVisible();
	await expect(
		page.getByText('Оплата кэшбэком доступна только при подключении к интернету', { exact: false })
	).toBeVisible();
	await expect(page.getByRole('button', { name: 'Оплатить кэшбэком' })).toHaveCount(0);
	await page.getByLabel('Сумма счета, руб.:').fill('250');
	await page.getByRole('button', { name: 'Провести оплату' }).click();
	await expect(page.getByRole('heading', { name: 'Операция прошла успешно' })).toBeVisible();
	await expect(page.getByText('Cash Back: 25,00', { exact: false })).toBeVisible();
	await context.setOffline(false);
});
