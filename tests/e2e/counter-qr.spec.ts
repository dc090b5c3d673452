import { expect, test } from '@playwright/test';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromiumArgs, chromiumPath } from '../../playwright.config';
import { logInAs } from './support/auth';
import { openCounter } from './support/counter';
import { writeQrY4m } from './support/y4m';

// Chromium's fake camera plays this file: the QR of a customer card URL ending in the ID.
const video = path.join(tmpdir(), `kopek-qr-${process.pid}.y4m`);
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

test('scanning the customer’s QR code with the camera identifies the customer', async ({
	page
}) => {
	const scannerRequests: string[] = [];
	page.on('request', (request) => {
		if (/qr-scanner/i.test(request.url())) scannerRequests.push(request.url());
	});
	await logInAs(page, 'company@kopek.local');
	await openCounter(page, 'Касса QR');
	await page.getByRole('button', { name: 'Сканировать QR код клиента' }).click();
	await expect(page.getByRole('dialog', { name: 'Сканирование QR кода' })).toBeVisible();

	await expect(page.getByLabel('Сумма счета, руб.:')).toBeVisible({ timeout: 20_000 });
	await expect(page.getByText('Петрова Мария')).toBeVisible();
	await expect(page.getByText('ID клиента: 765438')).toBeVisible();
	await expect(page.getByRole('dialog')).toHaveCount(0);
});
