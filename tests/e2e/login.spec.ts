import { expect, test } from '@playwright/test';
import { logInAs } from './support/auth';

test('the login page is in Russian and the demo company lands on its cabinet', async ({ page }) => {
	await page.goto('/');
	await expect(page).toHaveURL(/\/login/);
	await expect(page.getByRole('heading', { name: 'Вход в личный кабинет' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'ru');

	await logInAs(page, 'company@kopek.local');
	await expect(page).toHaveURL(/\/company$/);
	await expect(page.getByRole('heading', { name: 'Albixe' })).toBeVisible();
});

test('a wrong password is refused with a message', async ({ page }) => {
	await page.goto('/login');
	await page.getByLabel('E-mail (логин)').fill('operator@kopek.local');
	await page.getByLabel('Пароль').fill('not-the-password');
	await page.getByRole('button', { name: 'Войти' }).click();
	await expect(page.getByRole('alert')).toHaveText('Неверный e-mail или пароль');
	await expect(page).toHaveURL(/\/login/);
});

test('each role lands on its own cabinet and logout ends the session', async ({ page }) => {
	for (const [email, path] of [
		['operator@kopek.local', '/operator'],
		['partner@kopek.local', '/partner'],
		['customer@kopek.local', '/me']
	] as const) {
		await logInAs(page, email);
		await expect(page).toHaveURL(new RegExp(`${path}$`));
		await page.getByRole('button', { name: 'Выйти' }).click();
		await expect(page).toHaveURL(/\/login/);
		await page.goto(path);
		await expect(page).toHaveURL(/\/login/);
	}
});

test('the interface switches to English and back, and the choice sticks to the account', async ({
	page
}) => {
	await page.goto('/login');
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('heading', { name: 'Sign in to your account' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');

	await page.getByLabel('E-mail (login)').fill('partner@kopek.local');
	await page.getByLabel('Password').fill('kopek-demo-2026');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/partner$/);
	await page.getByRole('button', { name: 'Русский' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
	await page.getByRole('button', { name: 'Выйти' }).click();
	await expect(page.getByRole('heading', { name: 'Вход в личный кабинет' })).toBeVisible();
});
