import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'kopek-demo-2026';

/** Logs in through the real /login form, as a person would. */
export async function logInAs(page: Page, email: string, password = DEMO_PASSWORD) {
	await page.goto('/login');
	await page.getByLabel('E-mail (логин)').fill(email);
	await page.getByLabel('Пароль').fill(password);
	await page.getByRole('button', { name: 'Войти' }).click();
	await expect(page).not.toHaveURL(/\/login/);
}
