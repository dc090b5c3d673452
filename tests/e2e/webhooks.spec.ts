import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { logInAs } from './support/auth';

/*
 * Issue 21: the admin adds a webhook endpoint (a receiver on this machine; scripts/e2e.js sets
 * KOPEK_WEBHOOKS_ALLOW_PRIVATE=1), sends a test event, sees it delivered in the log, and sends
 * it again; both arrive signed with the secret shown once, under the same webhook-id.
 */
test('the admin adds an endpoint, sends a test event, sees it in the log and resends it', async ({
	page
}) => {
	const received: { headers: Record<string, string>; body: string }[] = [];
	const server = http.createServer((request, response) => {
		let body = '';
		request.on('data', (c) => (body += c));
		request.on('end', () => {
			received.push({ headers: request.headers as Record<string, string>, body });
			response.end('ok from e2e');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
	try {
		await logInAs(page, 'company@kopek.local');
		await page.goto('/company');
		await page.getByRole('link', { name: 'Интеграции' }).click();
		await page.getByRole('link', { name: /^Вебхуки/ }).click();
		await expect(page.getByRole('heading', { name: 'Вебхуки', level: 1 })).toBeVisible();

		await page.getByLabel('Адрес (URL)').fill(url);
		await page.getByLabel('Описание').fill('e2e');
		await page.getByLabel(/operation\.created/).check();
		await page.getByRole('button', { name: 'Добавить' }).click();
		const secret = await page.getByTestId('webhook-secret').textContent();
		expect(secret).toMatch(/^whsec_/);

		const row = page.getByTestId('webhook-endpoint').filter({ hasText: url });
		await row.getByRole('button', { name: 'Отправить тестовое событие' }).click();
		await expect(page.getByText('Тестовое событие поставлено в очередь')).toBeVisible();
		await expect.poll(() => received.length, { timeout: 15_000 }).toBe(1);

		await page
			.getByTestId('webhook-endpoint')
			.filter({ hasText: url })
			.getByRole('link', { name: 'Журнал доставок' })
			.click();
		await page.waitForURL(/\?endpoint=/);
		// Reloading the page a form POST answered would post again: the log is opened by its URL.
		const logUrl = page.url();
		const delivery = page.getByTestId('webhook-delivery').first();
		await expect(async () => {
			await page.goto(logUrl);
			await expect(delivery).toHaveAttribute('data-status', 'delivered', { timeout: 1000 });
		}).toPass({ timeout: 15_000 });
		await expect(delivery).toContainText('webhook.test');
		await expect(delivery).toContainText('200');
		await expect(delivery).toContainText('ok from e2e');

		await delivery.getByRole('button', { name: 'Отправить снова' }).click();
		await expect(page.getByText('Доставка поставлена в очередь снова')).toBeVisible();
		await expect.poll(() => received.length, { timeout: 15_000 }).toBe(2);
		// The resend page shows the log too (its URL keeps the endpoint).
		await expect(async () => {
			await page.goto(logUrl);
			await expect(page.getByTestId('webhook-delivery').first()).toContainText('попыток: 2', {
				timeout: 1000
			});
		}).toPass({ timeout: 15_000 });

		const wh = new Webhook(secret!.trim());
		const ids = received.map((r) => (wh.verify(r.body, r.headers) as { id: string }).id);
		expect(ids[0]).toBe(ids[1]);
		expect(received[0]!.headers['webhook-id']).toBe(ids[0]);
	} finally {
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}
});
