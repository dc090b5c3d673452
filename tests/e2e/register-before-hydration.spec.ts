import { expect, test } from '@playwright/test';
import { holdScripts, waitForReady } from './support/hydration';

/**
 * A quick person on a slow phone fills the sign-up form while the page's script is still
 * loading: what they typed and ticked is what the page checks and sends once it comes alive.
 */
test('a sign-up form filled before the page came alive is checked and sent as typed', async ({
	page
}) => {
	const release = await holdScripts(page);
	await page.goto('/register', { waitUntil: 'commit' });
	const password = 'kopek-before-2026';
	await page.getByLabel('E-mail (логин)').fill(`early-${Date.now()}@example.test`);
	await page.getByLabel('Телефон').fill('912-345-67-89');
	await page.getByLabel('Пароль', { exact: true }).fill(password);
	await page.getByLabel('Повторите пароль').fill(password);
	await page.getByLabel('Я согласен с условиями Пользовательского соглашения').check();
	await page.getByLabel('Я согласен с Политикой конфиденциальности').check();
	release();
	await waitForReady(page);
	await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
	await expect(page).toHaveURL(/\/company\?registered=1$/);
});

test('fields left before the page came alive show their errors once it does, the one being typed in does not', async ({
	page
}) => {
	const release = await holdScripts(page);
	await page.goto('/register', { waitUntil: 'commit' });
	await page.getByLabel('E-mail (логин)').fill('not an e-mail');
	await page.getByLabel('Пароль', { exact: true }).fill('short');
	await page.getByLabel('Телефон').fill('12');
	release();
	await waitForReady(page);
	await expect(page.getByText('Пароль должен быть не короче 8 символов')).toBeVisible();
	await expect(page.locator('#email')).toHaveAttribute('aria-invalid', 'true');
	// Still in the phone field: no error under it until it is left.
	await expect(page.locator('#phone')).not.toHaveAttribute('aria-invalid', 'true');
	await page.getByLabel('Повторите пароль').focus();
	await expect(page.locator('#phone')).toHaveAttribute('aria-invalid', 'true');
});

test('on /signup too, a field left before the page came alive is checked once it does', async ({
	page
}) => {
	const release = await holdScripts(page);
	await page.goto('/signup', { waitUntil: 'commit' });
	await page.locator('#signup-password').fill('short');
	await page.locator('#signup-name').fill('Петров Пётр');
	release();
	await waitForReady(page);
	await expect(page.locator('#signup-password')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.locator('#signup-name')).not.toHaveAttribute('aria-invalid', 'true');
});
