import { expect, test, type Locator, type Page } from '@playwright/test';
import { logInAs } from './support/auth';
import { openCounter, waitForServiceWorker } from './support/counter';
import { uniqueInn } from './support/inn';

/**
 * What a newcomer meets (issue 12, items 3, 4 and 13): offline cabinet links, the operator's
 * pages in the company's time zone, the period picker's refusal, wording for people.
 */

/** The value shown next to a label in a facts list (dl.facts). */
function fact(page: Page | Locator, label: string) {
	return page
		.locator('dl.facts dt', { hasText: label })
		.first()
		.locator('xpath=following-sibling::dd[1]');
}

test('offline, the counter header says a cabinet page needs a connection instead of failing', async ({
	page,
	context
}) => {
	await logInAs(page, 'company@kopek.local');
	await openCounter(page);
	await waitForServiceWorker(page);

	await context.setOffline(true);
	await page.reload();
	await expect(page.getByLabel('Введите QR код или ID клиента')).toBeVisible();
	await page.getByRole('link', { name: 'Мой профиль' }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'Нет подключения' })).toContainText(
		'Нет подключения к интернету: страница «Мой профиль» откроется, когда связь вернётся.'
	);
	await expect(page).toHaveURL(/\/company\/pay$/);
	// the counter's own pages still open offline
	await page.getByRole('button', { name: 'Понятно' }).click();
	await page.getByRole('link', { name: 'Клиенты' }).click();
	await expect(page).toHaveURL(/\/company\/clients$/);

	await context.setOffline(false);
	await page.getByRole('link', { name: 'Мой профиль' }).click();
	await expect(page).toHaveURL(/\/company\/profile$/);
});

test('on a phone the header is one row with a menu that holds the sections', async ({ page }) => {
	await page.setViewportSize({ width: 390, height: 844 });
	await logInAs(page, 'company@kopek.local');
	await page.goto('/company/profile');
	const header = page.locator('body > div > header, header').first();
	expect((await header.boundingBox())!.height).toBeLessThanOrEqual(64);
	await expect(page.getByRole('link', { name: 'Кассы' })).toBeHidden();
	await page.getByRole('button', { name: 'Меню' }).click();
	await page.getByRole('link', { name: 'Кассы' }).click();
	await expect(page).toHaveURL(/\/company\/terminals$/);
	await expect(page.getByRole('link', { name: 'Кассы' })).toBeHidden();
});

test('operator pages show company times in the company zone, whatever the browser zone', async ({
	browser
}, testInfo) => {
	const context = await browser.newContext({
		baseURL: testInfo.project.use.baseURL,
		locale: 'ru-RU',
		timezoneId: 'America/New_York'
	});
	const page = await context.newPage();
	await logInAs(page, 'operator@kopek.local');
	await page.goto('/operator/review');
	const queued = page.getByRole('region', { name: /Ромашка/ });
	const queueTime = (await fact(queued, 'Зарегистрирована').textContent())!.trim();
	expect(queueTime).toContain('(Москва (UTC+3))');
	await queued.getByRole('link', { name: 'Ромашка', exact: true }).click();
	const cardTime = (await fact(page, 'Зарегистрирована').textContent())!.trim();
	expect(queueTime.startsWith(cardTime)).toBe(true);
	await expect(fact(page, 'Часовой пояс')).toHaveText('Москва (UTC+3)');
	await context.close();
});

test('«действует сейчас» moves to a new rate when it takes effect, without a reload', async ({
	page
}) => {
	await page.clock.install();
	await logInAs(page, 'operator@kopek.local');
	await page.goto('/operator/companies');
	await page.getByRole('table').first().getByRole('link', { name: 'Albixe' }).click();
	// the same 10 % as now, from two days on (company time), so no payment changes
	const later = new Date(Date.now() + 2 * 24 * 3600 * 1000);
	const local = new Intl.DateTimeFormat('sv-SE', {
		timeZone: 'Europe/Moscow',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit'
	})
		.format(later)
		.replace(' ', 'T');
	const rate = page.getByRole('region', { name: 'Ставка кэшбэка' });
	await rate.getByLabel('Новая ставка, %').fill('10');
	await rate.getByLabel(/Действует с/).fill(local);
	await rate.getByRole('button', { name: 'Установить ставку' }).click();
	await expect(page.getByRole('status')).toContainText(/Ставка 10\s%\sустановлена/);

	const rows = rate.locator('table tbody tr');
	await expect(rows.first()).not.toContainText('действует сейчас');
	await expect(rows.nth(1)).toContainText('действует сейчас');
	await page.clock.fastForward('49:00:00');
	await expect(rows.first()).toContainText('действует сейчас');
	await expect(rows.nth(1)).not.toContainText('действует сейчас');
});

test('a company with no city shows «—», not its country, and the partner card names the zone', async ({
	page,
	browser
}, testInfo) => {
	await logInAs(page, 'partner@kopek.local');
	await page.locator('a[href^="/partner/companies/"]').first().click();
	await expect(page.getByText('Москва (UTC+3)')).toBeVisible();
	await expect(page.getByText('Europe/Moscow')).toHaveCount(0);

	// a company registers itself through /register, which asks for no city
	const newcomer = await (
		await browser.newContext({ baseURL: testInfo.project.use.baseURL, locale: 'ru-RU' })
	).newPage();
	await newcomer.goto('/register');
	await newcomer.getByLabel('ИНН компании').fill(uniqueInn());
	await newcomer.getByLabel('Название компании').fill('ИП Без Города');
	await newcomer.getByLabel('E-mail (логин)').fill(`no-city-${Date.now()}@example.ru`);
	await newcomer.getByLabel('Телефон').fill('912-345-67-89');
	await newcomer.getByLabel('Пароль', { exact: true }).fill('Надёжный пароль 2026');
	await newcomer.getByLabel('Повторите пароль').fill('Надёжный пароль 2026');
	await newcomer.getByLabel('Я согласен с условиями Пользовательского соглашения').check();
	await newcomer.getByLabel('Я согласен с Политикой конфиденциальности').check();
	await newcomer.getByRole('button', { name: 'Зарегистрироваться' }).click();
	await expect(newcomer).toHaveURL(/\/company\?registered=1$/);
	await newcomer.context().close();

	const operator = await (
		await browser.newContext({ baseURL: testInfo.project.use.baseURL, locale: 'ru-RU' })
	).newPage();
	await logInAs(operator, 'operator@kopek.local');
	await operator.goto('/operator/companies');
	// the newest company comes first
	await operator.locator('tbody tr').first().getByRole('link').click();
	await expect(fact(operator, 'Город')).toHaveText('—');
	await expect(fact(operator, 'Страна')).toHaveText('Россия');
	await operator.context().close();
});

test('a reversed custom period is refused with a message', async ({ page }) => {
	await logInAs(page, 'company@kopek.local');
	await openCounter(page);
	await page.goto('/company/clients');
	const before = page.url();
	await page.getByRole('button', { name: /Дата/ }).click();
	await page.getByLabel('Свой период').check();
	await page.getByLabel('С', { exact: true }).fill('2026-11-20');
	await page.getByLabel('По', { exact: true }).fill('2026-11-10');
	await page.getByRole('button', { name: 'Показать', exact: true }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'позже' })).toHaveText(
		'Дата «С» позже даты «По»: поменяйте их местами'
	);
	expect(page.url()).toBe(before);
	await page.getByLabel('По', { exact: true }).fill('2026-11-25');
	await page.getByRole('button', { name: 'Показать', exact: true }).click();
	await expect(page).toHaveURL(/from=2026-11-20/);
});

test('wording for people: valid example ID, why a terminal is registered, sign-up links', async ({
	page
}) => {
	await page.goto('/login');
	await page.getByRole('link', { name: 'Получить карту клиента' }).click();
	await expect(page).toHaveURL(/\/signup$/);

	await logInAs(page, 'company@kopek.local');
	await page.goto('/company/pay');
	const nameField = page.getByLabel('Название кассы');
	await expect(nameField).toBeVisible();
	await expect(page.getByText(/оплаты, проведённые без интернета, сохранятся здесь/)).toBeVisible();
	await openCounter(page);
	const hint = page.getByText(/Формат ID/);
	const example = (await hint.textContent())!.match(/\d{6}/)![0];
	await page.getByLabel('Введите QR код или ID клиента').fill(example);
	await page.getByRole('button', { name: 'Продолжить' }).click();
	await expect(page.getByLabel('Сумма счета, руб.:')).toBeVisible();

	await page.context().clearCookies();
	await logInAs(page, 'partner@kopek.local');
	await page.goto('/partner/register');
	await expect(page.getByText(/Пароль, с которым клиент будет входить/)).toBeVisible();
	await expect(page.getByText(/NIST/)).toHaveCount(0);
});
