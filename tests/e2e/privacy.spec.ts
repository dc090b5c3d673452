import { readFile } from 'node:fs/promises';
import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test';
import { logInAs } from './support/auth';
import { openCounter, pay } from './support/counter';

const PASSWORD = 'мой пароль для кэшбэка';

async function otherPage(browser: Browser, testInfo: TestInfo, email: string) {
	const context = await browser.newContext({
		baseURL: testInfo.project.use.baseURL,
		locale: 'ru-RU',
		timezoneId: 'Europe/Moscow'
	});
	const page = await context.newPage();
	await logInAs(page, email);
	return page;
}

function freshPhone(): string {
	const n = String((Date.now() + 4321) % 10_000_000).padStart(7, '0');
	return `978-${n.slice(0, 3)}-${n.slice(3)}`;
}

async function fillSignup(page: Page, phone: string, email: string) {
	await page.getByLabel('Имя и фамилия').fill('Кузнецова Ольга');
	await page.getByLabel('Телефон').fill(phone);
	await page.getByLabel('E-mail (логин)').fill(email);
	await page.getByLabel('Пароль', { exact: true }).fill(PASSWORD);
	await page.getByLabel('Повторите пароль').fill(PASSWORD);
}

test('sign-up asks for separate, unticked consents; the operator sees the record', async ({
	page,
	browser
}, testInfo) => {
	const email = `olga-${Date.now()}@example.test`;
	await page.goto('/signup');
	const personalData = page.getByRole('checkbox', { name: /согласие на обработку/ });
	const marketing = page.getByRole('checkbox', { name: /рекламные сообщения/ });
	await expect(personalData).not.toBeChecked();
	await expect(marketing).not.toBeChecked();
	await expect(
		page.getByRole('link', { name: 'Политики обработки персональных данных' })
	).toHaveAttribute('href', '/legal/privacy');

	// Without the personal-data consent there is no card, and the page says why.
	await fillSignup(page, freshPhone(), email);
	await marketing.check();
	await page.getByRole('button', { name: 'Получить карту' }).click();
	await expect(
		page.getByText('Без согласия на обработку персональных данных карту выпустить нельзя')
	).toBeVisible();
	await expect(page).toHaveURL(/\/signup$/);

	// With it (and marketing left off), the card.
	await marketing.uncheck();
	await personalData.check();
	await page.getByRole('button', { name: 'Получить карту' }).click();
	await expect(page).toHaveURL(/\/me$/);

	// The policy page the consent links to.
	await page.goto('/legal/privacy');
	await expect(
		page.getByRole('heading', { level: 1, name: 'Политика обработки персональных данных' })
	).toBeVisible();

	// The operator finds the customer by e-mail: one consent, with its version and origin.
	const operator = await otherPage(browser, testInfo, 'operator@kopek.local');
	await operator.goto('/operator');
	await operator.getByRole('link', { name: 'Клиенты' }).click();
	await operator.getByLabel('ID клиента, телефон или e-mail').fill(email);
	await operator.getByRole('button', { name: 'Найти' }).click();
	const card = operator.getByRole('region', { name: /Клиент \d{6}/ });
	await expect(card).toContainText('Кузнецова Ольга');
	await expect(card.getByRole('listitem')).toHaveCount(1);
	await expect(card.getByRole('listitem')).toContainText('Обработка персональных данных');
	await expect(card.getByRole('listitem')).toContainText(/[0-9a-f]{64}/);
	await expect(card.getByRole('listitem')).toContainText('127.0.0.1');
	await expect(card.getByRole('listitem')).toContainText(/Chrome|Mozilla/);
	await operator.context().close();
});

test('the customer downloads their data, then deletes the account after the warning', async ({
	page,
	browser
}, testInfo) => {
	const email = `olga-del-${Date.now()}@example.test`;
	await page.goto('/signup');
	await fillSignup(page, freshPhone(), email);
	await page.getByRole('checkbox', { name: /согласие на обработку/ }).check();
	await page.getByRole('checkbox', { name: /рекламные сообщения/ }).check();
	await page.getByRole('button', { name: 'Получить карту' }).click();
	await expect(page).toHaveURL(/\/me$/);
	const customerId = (await page.locator('.customer-id').innerText()).trim();

	// A purchase at Albixe: 500 ₽, 50 ₽ of cashback.
	const shop = await otherPage(browser, testInfo, 'company@kopek.local');
	await openCounter(shop, 'Касса privacy');
	await pay(shop, customerId, '500');

	// «Мои данные»: the download.
	await page.reload();
	const downloading = page.waitForEvent('download');
	await page.getByRole('link', { name: 'Скачать мои данные (JSON)' }).click();
	const download = await downloading;
	expect(download.suggestedFilename()).toMatch(new RegExp(`^kopek-${customerId}-.*\\.json$`));
	const data = JSON.parse(await readFile((await download.path())!, 'utf8'));
	expect(data.profile).toMatchObject({ customerId, name: 'Кузнецова Ольга', email });
	expect(data.consents.map((c: { purpose: string }) => c.purpose)).toEqual([
		'personal_data',
		'marketing'
	]);
	await expect
		.poll(async () => {
			const response = await page.request.get('/me/export');
			return (await response.json()).operations.length;
		})
		.toBe(1);

	// The warning names the balance that burns.
	await page.getByRole('link', { name: 'Удалить учётную запись' }).click();
	await expect(page.getByRole('heading', { name: 'Удаление учётной записи' })).toBeVisible();
	await expect(page.getByText(/накопленный кэшбэк 50,00\s₽ сгорает/)).toBeVisible();
	await page.getByLabel('Пароль для подтверждения').fill('не тот пароль');
	await page.getByRole('checkbox', { name: /кэшбэк 50,00\s₽ сгорит/ }).check();
	await page.getByRole('button', { name: 'Удалить учётную запись навсегда' }).click();
	await expect(page.getByText('Неверный пароль')).toBeVisible();

	await page.getByLabel('Пароль для подтверждения').fill(PASSWORD);
	await page.getByRole('checkbox', { name: /кэшбэк 50,00\s₽ сгорит/ }).check();
	await page.getByRole('button', { name: 'Удалить учётную запись навсегда' }).click();
	await expect(page.getByRole('heading', { name: 'Учётная запись удалена' })).toBeVisible();
	// The page forgets the kept card as it mounts; deleting the cache is asynchronous.
	await expect
		.poll(() =>
			page.evaluate(async () => ({
				pages: (await caches.keys()).includes('kopek-me-v1'),
				card: localStorage.getItem('kopek.me.card.v1')
			}))
		)
		.toEqual({ pages: false, card: null });

	// No way back in.
	await page.goto('/me');
	await expect(page).toHaveURL(/\/login/);
	await page.getByLabel('E-mail (логин)').fill(email);
	await page.getByLabel('Пароль').fill(PASSWORD);
	await page.getByRole('button', { name: 'Войти' }).click();
	await expect(page.getByRole('alert')).toBeVisible();
	await expect(page).toHaveURL(/\/login/);

	// The company's books keep the payment, anonymised.
	await shop.goto('/company/clients?period=day');
	await expect(
		shop.getByRole('row').filter({ hasText: customerId }).filter({ hasText: 'Клиент удалён' })
	).toHaveCount(1);
	await expect(shop.getByRole('row').filter({ hasText: 'Кузнецова Ольга' })).toHaveCount(0);
	await shop.context().close();

	// The operator's erasure log.
	const operator = await otherPage(browser, testInfo, 'operator@kopek.local');
	await operator.goto('/operator/customers');
	const entry = operator
		.getByRole('region', { name: 'Журнал удалений' })
		.getByRole('listitem')
		.filter({ hasText: customerId });
	await expect(entry).toContainText(/Сгорело кэшбэка: 50,00\s₽/);
	await expect(entry).toContainText('Операций сохранено: 1');
	await expect(entry).toContainText('Согласий отозвано: 2');
	await operator.context().close();
});
