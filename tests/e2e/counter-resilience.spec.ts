import { expect, test } from '@playwright/test';
import { logInAs } from './support/auth';
import { openCounter, pay, readOutbox, readSynced, resend } from './support/counter';

test('a 503 with Retry-After: "сервер временно недоступен", the wait honoured, nothing lost', async ({
	page,
	context
}) => {
	await logInAs(page, 'company@kopek.local');
	await openCounter(page, 'Касса 503');
	const calls: number[] = [];
	let unavailable = true;
	await context.route('**/api/trpc/payments.sync*', async (route) => {
		// The page's own retries (Background Sync in the service worker follows the browser's).
		if (!route.request().serviceWorker()) calls.push(Date.now());
		if (!unavailable) return route.continue();
		await route.fulfill({
			status: 503,
			contentType: 'application/json',
			headers: { 'retry-after': '4' },
			body: JSON.stringify({
				error: {
					json: {
						message: 'Сервис временно недоступен',
						code: -32603,
						data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503 }
					}
				}
			})
		});
	});
	await pay(page, '123455', '15');
	const status = page.getByRole('region', { name: 'Синхронизация' });
	await expect(status).toContainText('Сервер временно недоступен');
	await expect(status).toContainText('Ждут отправки: 1');
	await expect.poll(() => calls.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
	// The first retry waited for Retry-After (4 s), not the 1 s backoff.
	expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(3900);
	const [waiting] = await readOutbox(page);
	expect(waiting).toMatchObject({ status: 'waiting', customerId: '123455' });

	unavailable = false;
	await expect(status).toContainText('Все операции отправлены', { timeout: 20_000 });
	await expect(status).toContainText('В сети');
	expect((await readSynced(page)).map((op) => op.id)).toEqual([waiting!.id]);
});

for (const [label, skewMs, warning] of [
	['3 hours behind', -3 * 3600_000, 'Часы устройства отстают от времени сервера на 3 ч 0 мин'],
	['10 minutes ahead', 10 * 60_000, 'Часы устройства спешат относительно времени сервера на 10 мин']
] as const) {
	test(`a device clock ${label}: a warning, and each payment stored once at the server's time`, async ({
		page,
		context
	}) => {
		await page.clock.install({ time: new Date(Date.now() + skewMs) });
		await logInAs(page, 'company@kopek.local');
		await openCounter(page, `Касса часы ${skewMs > 0 ? '+' : '-'}`);
		await expect(page.getByRole('alert').filter({ hasText: warning })).toBeVisible();

		await pay(page, '123455', '100');
		// Offline too: the correction learned online goes on.
		await context.setOffline(true);
		await pay(page, '765438', '200');
		await context.setOffline(false);
		const status = page.getByRole('region', { name: 'Синхронизация' });
		await expect(status).toContainText('Все операции отправлены', { timeout: 20_000 });
		expect(await readOutbox(page)).toEqual([]);

		const synced = (await readSynced(page)) as unknown as {
			id: string;
			deviceId: string;
			customerId: string;
			amountKopecks: number;
			occurredAt: string;
			deviceOccurredAt: string;
		}[];
		expect(synced).toHaveLength(2);
		for (const op of synced) {
			// The server's time (the test runs in seconds), the device's own kept beside it.
			expect(Math.abs(Date.parse(op.occurredAt) - Date.now())).toBeLessThan(60_000);
			expect(
				Math.abs(Date.parse(op.deviceOccurredAt) - Date.parse(op.occurredAt) - skewMs)
			).toBeLessThan(2_000);
		}
		// Stored once, with exactly that time: a resend is a duplicate, not a new operation.
		const answers = await resend(page, synced[0]!.deviceId, synced);
		expect(answers.map((a) => a.outcome)).toEqual(['duplicate', 'duplicate']);
	});
}

test('a payment the device cannot store is refused at once, never shown as done', async ({
	page
}) => {
	await logInAs(page, 'company@kopek.local');
	await openCounter(page, 'Касса память');
	// The browser says whether it keeps the counter's data for good.
	await expect(
		page
			.getByText('Браузер не удалит данные кассы при нехватке места.')
			.or(page.getByText('Браузер может удалить данные кассы при нехватке места'))
	).toBeVisible();

	// The browser refuses the write as it does when the storage is full.
	await page.evaluate(() => {
		const add = IDBObjectStore.prototype.add;
		IDBObjectStore.prototype.add = function (...args: Parameters<typeof add>) {
			if ((globalThis as { quotaFull?: boolean }).quotaFull && this.name === 'outbox')
				throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
			return add.apply(this, args);
		};
		(globalThis as { quotaFull?: boolean }).quotaFull = true;
	});

	await page.getByLabel('Введите QR код или ID клиента').fill('123455');
	await page.getByRole('button', { name: 'Продолжить' }).click();
	await page.getByLabel('Сумма счета, руб.:').fill('1000');
	await page.getByRole('button', { name: 'Провести оплату' }).click();
	await expect(page.getByRole('alert')).toContainText(
		'Оплата не проведена: память устройства заполнена'
	);
	await expect(page.getByRole('heading', { name: 'Операция прошла успешно' })).toBeHidden();
	await expect(page.getByLabel('Сумма счета, руб.:')).toBeVisible();
	expect(await readOutbox(page)).toEqual([]);

	// Space again: the same payment goes through.
	await page.evaluate(() => ((globalThis as { quotaFull?: boolean }).quotaFull = false));
	await page.getByRole('button', { name: 'Провести оплату' }).click();
	await expect(page.getByRole('heading', { name: 'Операция прошла успешно' })).toBeVisible();
});

test('customer lookups refused for too many: the cashier is told and keeps working', async ({
	page
}) => {
	await logInAs(page, 'company@kopek.local');
	await openCounter(page, 'Касса лимит');
	let lookups = 0;
	await page.route('**/api/trpc/*customers.lookup*', async (route) => {
		lookups++;
		await route.fulfill({
			status: 429,
			contentType: 'application/json',
			headers: { 'retry-after': '60' },
			body: JSON.stringify([
				{
					error: {
						json: {
							message: 'Слишком много проверок клиентов: попробуйте через минуту',
							code: -32029,
							data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429 }
						}
					}
				}
			])
		});
	});
	// Not among the company's recent customers, so the server would be asked.
	await page.getByLabel('Введите QR код или ID клиента').fill('111112');
	await page.getByRole('button', { name: 'Продолжить' }).click();
	await expect(
		page.getByRole('status').filter({ hasText: 'Слишком много проверок клиентов' })
	).toBeVisible();
	await page.getByLabel('Сумма счета, руб.:').fill('50');
	await page.getByRole('button', { name: 'Провести оплату' }).click();
	await expect(page.getByRole('heading', { name: 'Операция прошла успешно' })).toBeVisible();
	await page.getByRole('button', { name: 'Продолжить' }).click();
	// Refused once: the next customer is not asked about until Retry-After has passed.
	await page.getByLabel('Введите QR код или ID клиента').fill('555557');
	await page.getByRole('button', { name: 'Продолжить' }).click();
	await expect(
		page.getByRole('status').filter({ hasText: 'Слишком много проверок клиентов' })
	).toBeVisible();
	await page.getByLabel('Сумма счета, руб.:').fill('10');
	await page.getByRole('button', { name: 'Провести оплату' }).click();
	await expect(page.getByRole('heading', { name: 'Операция прошла успешно' })).toBeVisible();
	expect(lookups).toBe(1);
});
