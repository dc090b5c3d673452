import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromiumArgs, chromiumPath } from '../../playwright.config';
import { logInAs } from './support/auth';
import { openCounter, pay, waitForServiceWorker } from './support/counter';
import { writeQrY4m } from './support/y4m';

// Chromium's fake camera plays this file: the QR of a customer card URL ending in the ID.
const video = path.join(tmpdir(), `kopek-csp-qr-${process.pid}.y4m`);
writeQrY4m(video, 'https://kopek.example/me/card/765438');

test.use({
	permissions: ['camera'],
	launchOptions: {
		executablePath: chromiumPath,
		args: [
			...chromiumArgs,
			'--use-fake-ui-for-media-stream',
			'--use-fake-device-for-media-stream',
			`--use-file-for-fake-video-capture=${video}`
		]
	}
});

/**
 * Every CSP violation in every page of the context (reloads and the offline shell included):
 * the `securitypolicyviolation` events, and the console lines about the policy (workers
 * report there only).
 */
async function collectCspViolations(page: Page, context: BrowserContext): Promise<string[]> {
	const violations: string[] = [];
	await context.exposeBinding('reportCspViolation', (_source, text: string) => {
		violations.push(text);
	});
	await context.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (event) => {
			const report = (window as unknown as { reportCspViolation(t: string): void })
				.reportCspViolation;
			report(`${event.violatedDirective} ${event.blockedURI} ${location.pathname}`);
		});
	});
	const isViolation = (text: string) => /Content Security Policy|Refused to/i.test(text);
	page.on('console', (message) => {
		if (isViolation(message.text())) violations.push(message.text());
	});
	context.on('serviceworker', (worker) =>
		worker.on('console', (message) => {
			if (isViolation(message.text())) violations.push(`worker: ${message.text()}`);
		})
	);
	return violations;
}

test('the counter works under the CSP with no violation: payments, offline and back, the QR camera, the list', async ({
	page,
	context
}) => {
	test.setTimeout(120_000);
	const violations = await collectCspViolations(page, context);

	await logInAs(page, 'company@kopek.local');
	await openCounter(page, 'Касса CSP');
	await waitForServiceWorker(page);
	const status = page.getByRole('region', { name: 'Синхронизация' });

	// A payment online, then the QR camera identifies a customer (its decoder runs in a worker).
	await pay(page, '123455', '150', { name: 'Иванов Иван' });
	await expect(status).toContainText('Все операции отправлены');
	await page.getByRole('button', { name: 'Сканировать QR код клиента' }).click();
	await expect(page.getByRole('dialog', { name: 'Сканирование QR кода' })).toBeVisible();
	await expect(page.getByLabel('Сумма счета, руб.:')).toBeVisible({ timeout: 20_000 });
	await expect(page.getByText('Петрова Мария')).toBeVisible();
	await page.getByLabel('Сумма счета, руб.:').fill('75');
	await page.getByRole('button', { name: 'Провести оплату' }).click();
	await expect(page.getByRole('heading', { name: 'Операция прошла успешно' })).toBeVisible();
	await page.getByRole('button', { name: 'Продолжить' }).click();

	// Offline: a reload is served from the precached shell (prerendered, allowed by hash).
	await context.setOffline(true);
	await expect(status).toContainText('Нет сети');
	const reloaded = await page.reload();
	expect(reloaded?.fromServiceWorker()).toBe(true);
	await pay(page, '246801', '99', { name: 'Сидоров Пётр' });
	await expect(status).toContainText('Ждут отправки: 1');

	// Back online: it goes out; the list with its chart renders.
	await context.setOffline(false);
	await expect(status).toContainText('Все операции отправлены');
	await page.goto('/company/clients');
	await expect(page.getByRole('row').filter({ hasText: 'Сидоров' }).first()).toBeVisible();
	await page.goto('/company');
	await page.waitForLoadState('networkidle');

	expect(violations).toEqual([]);
});

test('the cabinets show no CSP violation: pairing QR, operator pages, the customer’s card', async ({
	page,
	context
}) => {
	const violations = await collectCspViolations(page, context);
	await logInAs(page, 'company@kopek.local');
	await page.goto('/company/terminals');
	await page.getByLabel('Название кассы').fill('Касса CSP-QR');
	await page.getByRole('button', { name: 'Получить код подключения' }).click();
	await expect(page.getByRole('img', { name: 'QR код подключения кассы' })).toBeVisible();
	for (const path of ['/company', '/company/statements', '/company/profile']) {
		await page.goto(path);
		await page.waitForLoadState('networkidle');
	}
	await page.getByRole('button', { name: 'Выйти' }).click();
	await expect(page).toHaveURL(/\/login/);
	await logInAs(page, 'operator@kopek.local');
	for (const path of ['/operator', '/operator/companies', '/operator/statements']) {
		await page.goto(path);
		await page.waitForLoadState('networkidle');
	}
	await page.getByRole('button', { name: 'Выйти' }).click();
	await expect(page).toHaveURL(/\/login/);
	await logInAs(page, 'customer@kopek.local');
	await page.goto('/me');
	await expect(page.getByText('123455').first()).toBeVisible();
	await page.waitForLoadState('networkidle');
	expect(violations).toEqual([]);
});
