import { expect, test } from '@playwright/test';
import { mailDir, mailsTo, resetLinkIn } from './support/mail';

/**
 * Issue 19, item 2: «Забыли пароль?» through the pages, with the development mail default —
 * scripts/e2e.js starts the app without SMTP_URL and with KOPEK_MAIL_DIR, so each mail is an
 * .eml file there, read back here as the person would read the mail.
 */
const SENT = 'Если такой адрес зарегистрирован, мы отправили на него ссылку для смены пароля.';

test.beforeAll(() => {
	expect(mailDir()).toBeTruthy();
});

test('a customer who forgot the password gets a link by mail, sets a new one and signs in with it', async ({
	browser,
	baseURL
}) => {
	const email = `forgetful-${Date.now()}@example.test`;
	const oldPassword = 'мой старый пароль 2026';
	const newPassword = 'новый пароль у моря 2027';

	// A customer with a session on their phone.
	const phone = await browser.newContext();
	const card = await phone.newPage();
	await card.goto('/signup');
	const n = String(Date.now() % 10_000_000).padStart(7, '0');
	await card.getByLabel('Имя и фамилия').fill('Забывчивая Ольга');
	await card.getByLabel('Телефон').fill(`978-${n.slice(0, 3)}-${n.slice(3)}`);
	await card.getByLabel('E-mail (логин)').fill(email);
	await card.getByLabel('Пароль', { exact: true }).fill(oldPassword);
	await card.getByLabel('Повторите пароль').fill(oldPassword);
	await card.getByRole('checkbox', { name: /согласие на обработку/ }).check();
	await card.getByRole('button', { name: 'Получить карту' }).click();
	await expect(card).toHaveURL(/\/me$/);

	// On another device: the login page, «Забыли пароль?».
	const laptop = await browser.newContext();
	const page = await laptop.newPage();
	await page.goto('/login');
	await page.getByRole('link', { name: 'Забыли пароль?' }).click();
	await expect(page.getByRole('heading', { name: 'Восстановление пароля' })).toBeVisible();
	await page.getByLabel('E-mail').fill(email.toUpperCase());
	await page.getByRole('button', { name: 'Отправить ссылку' }).click();
	await expect(page.getByText(SENT)).toBeVisible();

	await expect.poll(() => mailsTo(email).then((m) => m.length)).toBe(1);
	const [mail] = await mailsTo(email);
	const link = resetLinkIn(mail!);
	expect(link, mail).toBeTruthy();
	expect(new URL(link!).origin).toBe(new URL(baseURL!).origin);

	await page.goto(link!);
	await expect(page.getByRole('heading', { name: 'Новый пароль' })).toBeVisible();
	await expect(page.getByText(email)).toBeVisible();
	await page.getByLabel('Новый пароль', { exact: true }).fill(newPassword);
	await page.getByLabel('Повторите новый пароль').fill('не тот пароль');
	await page.getByRole('button', { name: 'Сменить пароль' }).click();
	await expect(page.getByText('Пароли не совпадают')).toBeVisible();
	await page.getByLabel('Повторите новый пароль').fill(newPassword);
	await page.getByRole('button', { name: 'Сменить пароль' }).click();

	await expect(page).toHaveURL(/\/login\?reset=done$/);
	await expect(page.getByText('Пароль изменён. Войдите с новым паролем.')).toBeVisible();

	// The phone's session is over.
	const me = await phone.request.get('/me', { maxRedirects: 0 });
	expect(me.status()).toBe(303);
	expect(me.headers()['location']).toMatch(/^\/login/);

	// The old password no longer opens the account; the new one does.
	await page.getByLabel('E-mail (логин)').fill(email);
	await page.getByLabel('Пароль').fill(oldPassword);
	await page.getByRole('button', { name: 'Войти' }).click();
	await expect(page.getByRole('alert')).toHaveText('Неверный e-mail или пароль');
	await page.getByLabel('Пароль').fill(newPassword);
	await page.getByRole('button', { name: 'Войти' }).click();
	await expect(page).toHaveURL(/\/me$/);

	// The link worked once.
	const again = await browser.newPage();
	await again.goto(link!);
	await expect(again.getByRole('heading', { name: 'Ссылка недействительна' })).toBeVisible();
	await again.getByRole('link', { name: 'Запросить новую ссылку' }).click();
	await expect(again).toHaveURL(/\/login\/forgot$/);

	await Promise.all([phone.close(), laptop.close(), again.close()]);
});

test('an address with no account gets the same answer, and no mail is written', async ({
	page
}) => {
	const email = `nobody-${Date.now()}@example.test`;
	await page.goto('/login/forgot');
	await page.getByLabel('E-mail').fill(email);
	await page.getByRole('button', { name: 'Отправить ссылку' }).click();
	await expect(page.getByText(SENT)).toBeVisible();
	// the mail of a known address is written within a moment; give this one as long
	await page.waitForTimeout(1000);
	expect(await mailsTo(email)).toEqual([]);
});
