import { expect, test } from '@playwright/test';
import { logInAs } from './support/auth';
import { holdScripts, waitForReady } from './support/hydration';

/*
 * A quick person on a slow phone or tablet types while the page's script is still loading
 * (the server-rendered page shows and takes typing, nothing of the app runs yet): what they
 * typed is what the page checks and acts on once it comes alive, and nothing is lost.
 */

test('a sign-up form filled before the page came alive is checked and sent as typed', async ({
	page
}) => {
	const release = await holdScripts(page);
	await page.goto('/register', { waitUntil: 'commit' });
	const password = 'kopek-before-2026';
	// The INN of the demo registry's «ВОЛЖСКАЯ АПТЕКА», typed before the script ran.
	await page.getByLabel('ИНН компании').fill('6315045670');
	await page.getByLabel('E-mail (логин)').fill(`early-${Date.now()}@example.test`);
	await page.getByLabel('Телефон').fill('912-345-67-89');
	await page.getByLabel('Пароль', { exact: true }).fill(password);
	await page.getByLabel('Повторите пароль').fill(password);
	await page.getByLabel('Я согласен с условиями Пользовательского соглашения').check();
	await page.getByLabel('Я согласен с Политикой конфиденциальности').check();
	release();
	await waitForReady(page);
	// Looked up once the page came alive: the name comes from the registry.
	await expect(page.getByLabel('Название компании')).toHaveValue('ООО "ВОЛЖСКАЯ АПТЕКА"');
	await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
	await expect(page).toHaveURL(/\/company\?registered=1$/);
	await expect(page.getByRole('heading', { name: 'ООО "ВОЛЖСКАЯ АПТЕКА"' })).toBeVisible();
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

test('an INN typed before the page came alive is still looked up', async ({ page }) => {
	await logInAs(page, 'partner@kopek.local');
	const release = await holdScripts(page);
	await page.goto('/partner/register', { waitUntil: 'commit' });
	await page.getByLabel('ИНН', { exact: true }).fill('1655012344');
	release();
	await expect(page.getByLabel('Компания', { exact: true })).toHaveValue('ООО "ЧАЙХАНА ВОСТОК"');
	await expect(page.getByLabel('ИНН', { exact: true })).toHaveValue('1655012344');
});

test('the pairing button waits for the page, and a code typed before it came alive pairs', async ({
	page,
	browser
}, testInfo) => {
	await logInAs(page, 'company@kopek.local');
	await page.goto('/company/terminals');
	await page.getByLabel('Название кассы').fill('Касса на медленном планшете');
	await page.getByRole('button', { name: 'Получить код подключения' }).click();
	const code = (await page.getByTestId('pairing-code').textContent())?.trim() ?? '';

	const tablet = await browser.newContext({
		baseURL: testInfo.project.use.baseURL,
		locale: 'ru-RU',
		timezoneId: 'Europe/Moscow'
	});
	const t = await tablet.newPage();
	const release = await holdScripts(t);
	await t.goto('/pair', { waitUntil: 'commit' });
	await t.getByLabel('Код подключения').fill(code);
	// Without the script a press would reload the page and lose the code: it cannot be pressed.
	const submit = t.getByRole('button', { name: 'Подключить кассу' });
	await expect(submit).toBeDisabled();
	release();
	await submit.click();
	await expect(t).toHaveURL(/\/company\/pay$/);
	await tablet.close();
});

test('the menu and the logout wait for the page: pressed before, they would do nothing or skip its check', async ({
	page
}) => {
	await logInAs(page, 'company@kopek.local');
	const release = await holdScripts(page);
	await page.goto('/company/profile', { waitUntil: 'commit' });
	// The logout checks first that no payment waits on this device: only the script can.
	await expect(page.getByRole('button', { name: 'Выйти' })).toBeDisabled();
	await page.setViewportSize({ width: 390, height: 844 });
	await expect(page.getByRole('button', { name: 'Меню' })).toBeDisabled();
	release();
	await page.getByRole('button', { name: 'Меню' }).click();
	await expect(page.getByRole('link', { name: 'Кассы' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Выйти' })).toBeEnabled();
});
