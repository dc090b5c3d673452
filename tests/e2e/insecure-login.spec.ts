import { expect, test } from '@playwright/test';
import { chromiumArgs } from '../../playwright.config';
import { DEMO_PASSWORD } from './support/auth';

/**
 * A shop server opened over plain http at a network address: Chromium resolves the made-up
 * name to the test server on 127.0.0.1, so the server sees a non-localhost Host over http
 * and sets its session cookie Secure, which the browser refuses to store, exactly as a
 * tablet opening http://192.168.1.10:3000 would.
 */
const SHOP_HOST = 'kopek-shop.test';

test.use({
	launchOptions: {
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [...chromiumArgs, `--host-resolver-rules=MAP ${SHOP_HOST} 127.0.0.1`]
	}
});

test('a login over plain http at a network address says why it cannot work', async ({
	page,
	baseURL
}) => {
	const shop = new URL(baseURL!);
	shop.hostname = SHOP_HOST;
	await page.goto(new URL('/login', shop).href);
	const warning = page.getByRole('alert').filter({ hasText: 'Войти по этому адресу не получится' });
	await expect(warning).toBeVisible();
	await expect(warning).toContainText(`http://${shop.host}`);
	await expect(warning).toContainText('HTTPS');
	await expect(warning).toContainText('ORIGIN');

	await page.getByLabel('E-mail (логин)').fill('operator@kopek.local');
	await page.getByLabel('Пароль').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Войти' }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'Вход не выполнен' })).toHaveText(
		'Вход не выполнен: по http:// браузер не сохранит вход. Что сделать — в сообщении выше.'
	);
	await expect(page).toHaveURL(/\/login/);
	expect(await page.context().cookies()).not.toContainEqual(
		expect.objectContaining({ name: 'kopek_session' })
	);
});

test('on localhost over http the login works and no warning shows', async ({ page }) => {
	await page.goto('/login');
	await expect(page.getByText('Войти по этому адресу не получится')).toHaveCount(0);
	await page.getByLabel('E-mail (логин)').fill('operator@kopek.local');
	await page.getByLabel('Пароль').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Войти' }).click();
	await expect(page).toHaveURL(/\/operator$/);
});
