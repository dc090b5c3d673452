import { expect, test, type Page } from '@playwright/test';
import { logInAs } from './support/auth';
import { openCounter, pay, waitForServiceWorker } from './support/counter';

/** A money figure as the page prints it ("1 250,5 RUB", "1 250,50 ₽") in kopecks. */
function kopecksOf(text: string): number {
	const [rubles, fraction = ''] = text.replace(/[^\d,]/g, '').split(',');
	return Number(rubles) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
}

/** The period totals of «Клиенты» as they read on the screen. */
async function readTotals(page: Page) {
	const figure = (term: string) =>
		page
			.locator('dl.totals div')
			.filter({ has: page.locator('dt', { hasText: new RegExp(`^${term}$`) }) })
			.locator('dd')
			.innerText();
	return {
		count: Number((await figure('Операций')).trim().split(/\s/)[0]),
		amount: kopecksOf(await figure('Сумма счетов')),
		cashback: kopecksOf(await figure('Кэшбэк'))
	};
}

test('offline, the period totals of «Клиенты» include the waiting payments, marked as not synced', async ({
	page,
	context
}) => {
	await logInAs(page, 'company@kopek.local');
	await openCounter(page, 'Касса итоги');
	await waitForServiceWorker(page);

	// Online: today's list, as the server counts it (kept on the device for offline use).
	await page.goto('/company/clients?period=day');
	await expect(page.locator('dl.totals')).toBeVisible();
	const before = await readTotals(page);
	await expect(page.getByText('ещё не отправленные на сервер операции')).toHaveCount(0);

	// Offline: two payments wait on the device.
	await context.setOffline(true);
	await page.goto('/company/pay');
	await pay(page, '765438', '1000');
	await pay(page, '246801', '250,50');

	await page.goto('/company/clients?period=day');
	await expect(page.getByRole('row').filter({ hasText: 'не синхронизировано' })).toHaveCount(2);
	await expect
		.poll(() => readTotals(page))
		.toEqual({
			count: before.count + 2,
			amount: before.amount + 125_050,
			cashback: before.cashback + 12_505
		});
	const note = page.getByText('ещё не отправленные на сервер операции этого устройства');
	await expect(note).toContainText('2 на 1 250,5');
	await expect(note).toContainText('не синхронизировано');

	// Online again: the server has them, the totals are the server's and no longer marked.
	await context.setOffline(false);
	await expect(page.getByRole('row').filter({ hasText: 'не синхронизировано' })).toHaveCount(0);
	await expect(note).toHaveCount(0);
	await expect
		.poll(() => readTotals(page))
		.toEqual({
			count: before.count + 2,
			amount: before.amount + 125_050,
			cashback: before.cashback + 12_505
		});
});
