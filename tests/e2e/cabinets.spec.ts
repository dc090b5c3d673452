import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { DEMO_PASSWORD, logInAs } from './support/auth';
import { openCounter, pay, waitForServiceWorker } from './support/counter';
import { e2eSql } from './support/db';
import { uniqueInn } from './support/inn';

const PASSWORD = 'Надёжный пароль 2026';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n');
const EXE = Buffer.from('MZ\x90\x00\x03\x00\x00\x00This program cannot be run in DOS mode');

/** A second browser, signed in as someone else, next to the first. */
async function otherBrowser(
	browser: Browser,
	testInfo: TestInfo,
	email: string,
	password?: string
) {
	const context = await browser.newContext({
		baseURL: testInfo.project.use.baseURL,
		locale: 'ru-RU',
		timezoneId: 'Europe/Moscow'
	});
	const page = await context.newPage();
	await logInAs(page, email, password);
	return page;
}

async function registerCompany(page: Page, email: string) {
	await page.goto('/register');
	await expect(page.getByRole('heading', { name: 'Зарегистрироваться' })).toBeVisible();
	// An INN the demo registry does not know: the name is typed.
	await page.getByLabel('ИНН компании').fill(uniqueInn());
	await expect(page.getByText(/не найдена в реестре/)).toBeVisible();
	await page.getByLabel('Название компании').fill('ООО «Лавка у дома»');
	await page.getByLabel('E-mail (логин)').fill(email);
	await page.getByLabel('Телефон').fill('912-345-67-89');
	await page.getByLabel('Пароль', { exact: true }).fill(PASSWORD);
	await page.getByLabel('Повторите пароль').fill(PASSWORD);
	await expect(page.getByLabel('ID пригласившего (1 по умолчанию)')).toHaveValue('1');
	await page.getByLabel('Я согласен с условиями Пользовательского соглашения').check();
	await page.getByLabel('Я согласен с Политикой конфиденциальности').check();
	await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
	await expect(page).toHaveURL(/\/company\?registered=1$/);
	await expect(page.getByRole('heading', { name: 'ООО «Лавка у дома»' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'На проверке' })).toBeVisible();
}

async function upload(page: Page, name: string, buffer: Buffer, mimeType = 'application/pdf') {
	await page.getByLabel('Файлы (PDF, JPEG или PNG, до 10 МБ каждый)').setInputFiles({
		name,
		mimeType,
		buffer
	});
	await page.getByRole('button', { name: 'Загрузить' }).click();
}

test('registration checks the fields on the device and links the legal pages', async ({ page }) => {
	await page.goto('/register');
	await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
	await expect(page.getByText('Укажите ИНН компании')).toBeVisible();
	await expect(page.getByText('Введите e-mail')).toBeVisible();
	await expect(page.getByText('Введите номер телефона')).toBeVisible();
	await expect(page.getByText('Нужно согласие с Пользовательским соглашением')).toBeVisible();
	await page.getByLabel('Пароль', { exact: true }).fill('short');
	await page.getByLabel('Пароль', { exact: true }).blur();
	await expect(page.getByText('Пароль должен быть не короче 8 символов')).toBeVisible();

	for (const [link, heading] of [
		['Пользовательского соглашения', 'Пользовательское соглашение'],
		['Политикой конфиденциальности', 'Политика обработки персональных данных'],
		['«Порядок подключения юридического лица»', 'Порядок подключения юридического лица']
	]) {
		const href = await page.getByRole('link', { name: link }).getAttribute('href');
		const legal = await page.context().newPage();
		await legal.goto(href!);
		await expect(legal.getByRole('heading', { level: 1, name: heading })).toBeVisible();
		await legal.close();
	}
	await page.goto('/legal/connection');
	await expect(page.getByText(/Устав: титульный лист/)).toBeVisible();
});

test('register, get approved by the operator, take payments; a new rate applies to the next payment', async ({
	page,
	browser
}, testInfo) => {
	const email = `shop-${Date.now()}@example.test`;
	await registerCompany(page, email);

	// Documents: typed from the content, never from the name.
	await upload(page, 'договор.pdf', EXE);
	await expect(page.getByRole('alert')).toContainText('это не PDF, JPEG или PNG');
	await upload(page, 'устав.pdf', PDF);
	await expect(page.getByText('Загружено: устав.pdf')).toBeVisible();
	const link = page.getByRole('link', { name: 'устав.pdf' });
	const response = await page.request.get((await link.getAttribute('href'))!);
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toBe('application/pdf');
	expect(response.headers()['content-disposition']).toMatch(/^attachment;/);
	expect(response.headers()['x-content-type-options']).toBe('nosniff');
	expect(Buffer.from(await response.body()).equals(PDF)).toBe(true);

	// Not active yet: the counter does not take payments.
	await page.goto('/company/pay');
	await expect(page.getByText(/Компания ещё не подключена/)).toBeVisible();

	// The operator approves it with a 10 % rate.
	const operator = await otherBrowser(browser, testInfo, 'operator@kopek.local');
	await operator.goto('/operator/review');
	const card = operator.getByRole('region', { name: new RegExp(email) });
	await expect(card.getByRole('link', { name: 'устав.pdf' })).toBeVisible();
	await card.getByLabel('Кэшбэк компании, %').fill('10');
	await card.getByRole('button', { name: 'Одобрить' }).click();
	await expect(operator.getByRole('status')).toContainText('одобрена');

	// Active now: the first payment, at 10 %.
	await page.goto('/company');
	await expect(page.getByRole('link', { name: 'Оплата' }).last()).toBeVisible();
	await openCounter(page, 'Касса 1');
	await pay(page, '123455', '1000');
	await page.goto('/company/clients');
	const rows = page.locator('tbody tr');
	await expect(rows.first()).toContainText(/10\s%\s+\/\s+100,00\s₽/);
	await expect(rows.first()).toContainText('Иванов Иван');

	// The operator sets 12,5 % from now on.
	await operator.goto('/operator/companies');
	await operator
		.getByRole('row', { name: new RegExp(email) })
		.getByRole('link')
		.click();
	await operator.getByLabel('Новая ставка, %').fill('12,5');
	await operator.getByRole('button', { name: 'Установить ставку' }).click();
	await expect(operator.getByRole('status')).toContainText(/Ставка 12,5\s% установлена/);
	await expect(operator.getByRole('region', { name: 'Ставка кэшбэка' })).toContainText(
		'действует сейчас'
	);

	// The next payment uses it; the first keeps its own.
	await page.goto('/company/pay');
	await pay(page, '765438', '1000');
	await page.goto('/company/clients');
	await expect(rows.first()).toContainText(/12,5\s%\s+\/\s+125,00\s₽/);
	await expect(rows.first()).toContainText('Петрова Мария');
	await expect(rows.nth(1)).toContainText(/10\s%\s+\/\s+100,00\s₽/);
	await expect(page.getByText(/Сумма счетов/)).toBeVisible();

	// A refund, once.
	await rows.first().getByRole('button', { name: 'Вернуть' }).click();
	await page.getByLabel('Причина возврата').fill('Товар возвращён');
	await page.getByRole('button', { name: 'Оформить возврат' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Возврат оформлен' })).toBeVisible();
	await expect(rows.first()).toContainText('Возврат');
	await expect(rows.first()).toContainText(/-1\s000,00\s₽/);
	await expect(rows.nth(1)).toContainText('возвращена');
	await expect(rows.nth(1).getByRole('button', { name: 'Вернуть' })).toHaveCount(0);

	// The period picker and the CSV of the same period.
	await page.getByRole('button', { name: /Дата/ }).click();
	await page.getByRole('radio', { name: 'Год' }).check();
	await page.getByRole('button', { name: 'Показать', exact: true }).click();
	await expect(page).toHaveURL(/period=year/);
	await expect(rows).toHaveCount(3);
	const downloading = page.waitForEvent('download');
	await page.getByRole('link', { name: 'Скачать CSV' }).click();
	const csv = await readFile((await (await downloading).path())!, 'utf8');
	expect(csv.charCodeAt(0)).toBe(0xfeff);
	const lines = csv.slice(1).trim().split('\r\n');
	expect(lines[0]).toBe(
		'№;ФИО клиента;ID;Дата;Сумма счета, руб.;Кэшбэк, %;CashBack, руб.;Операция;Оплачено кэшбэком, руб.;Касса;Кассир;В т. ч. по акциям, руб.'
	);
	const cells = lines.slice(1).map((line) => line.split(';'));
	// The refund was made in the cabinet; the payments at the admin's own counter.
	expect(cells.map((c) => [c[0], c[1], c[2], ...c.slice(4)])).toEqual([
		[
			'1',
			'Петрова Мария',
			'765438',
			'-1000,00',
			'12,5',
			'-125,00',
			'Возврат',
			'0,00',
			'Кабинет',
			'Администратор',
			'0,00'
		],
		[
			'2',
			'Петрова Мария',
			'765438',
			'1000,00',
			'12,5',
			'125,00',
			'Оплата',
			'0,00',
			'Касса 1',
			'Администратор',
			'0,00'
		],
		[
			'3',
			'Иванов Иван',
			'123455',
			'1000,00',
			'10',
			'100,00',
			'Оплата',
			'0,00',
			'Касса 1',
			'Администратор',
			'0,00'
		]
	]);
	for (const c of cells) expect(c[3]).toMatch(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$/);
	// On Postgres, the stored rows say the same.
	const sql = e2eSql();
	if (sql) {
		const stored = await sql<{ kind: string; rate_bp: number; cashback_kopecks: string }[]>`
			select o.kind, o.rate_bp, o.cashback_kopecks::text from operations o
			join companies c on c.id = o.company_id where c.email = ${email} order by o.occurred_at`;
		expect(stored.map((r) => [r.kind, r.rate_bp, r.cashback_kopecks])).toEqual([
			['payment', 1000, '10000'],
			['payment', 1250, '12500'],
			['refund', 1250, '-12500']
		]);
		await sql.end();
	}
	await operator.context().close();
});

test('a rejected company sees the reason and uploads again; its documents stay its own', async ({
	page,
	browser
}, testInfo) => {
	const email = `rejected-${Date.now()}@example.test`;
	await registerCompany(page, email);
	await upload(
		page,
		'скан.png',
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]),
		'image/png'
	);
	await expect(page.getByText('Загружено: скан.png')).toBeVisible();
	const href = (await page.getByRole('link', { name: 'скан.png' }).getAttribute('href'))!;

	const operator = await otherBrowser(browser, testInfo, 'operator@kopek.local');
	await operator.goto('/operator/review');
	const card = operator.getByRole('region', { name: new RegExp(email) });
	await card.getByLabel('Причина отказа').fill('Скан нечитаем');
	await card.getByRole('button', { name: 'Отклонить' }).click();
	await expect(operator.getByRole('status')).toContainText('отказано');

	await page.reload();
	await expect(page.getByRole('heading', { name: 'Документы не приняты' })).toBeVisible();
	await expect(page.getByText('Причина: Скан нечитаем')).toBeVisible();
	await upload(page, 'устав.pdf', PDF);
	await expect(page.getByText('Загружено: устав.pdf')).toBeVisible();
	await page.reload();
	await expect(page.getByRole('heading', { name: 'На проверке' })).toBeVisible();
	await expect(page.getByText('Причина прошлого отказа: Скан нечитаем')).toBeVisible();

	await operator.goto('/operator/review');
	await expect(operator.getByRole('region', { name: new RegExp(email) })).toContainText(
		'Повторная проверка'
	);
	// The company's URL is not the operator's: the role guard sends the operator away.
	expect((await operator.request.get(href, { maxRedirects: 0 })).status()).toBe(303);
	const operatorHref = href.replace('/company/documents/', '/operator/documents/');
	expect((await operator.request.get(operatorHref)).status()).toBe(200);

	const other = await otherBrowser(browser, testInfo, 'company@kopek.local', DEMO_PASSWORD);
	expect((await other.request.get(href)).status()).toBe(404);
	expect((await other.request.get(operatorHref, { maxRedirects: 0 })).status()).toBe(303);
	const anonymous = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
	const anonymousAnswer = await anonymous.request.get(href, { maxRedirects: 0 });
	expect(anonymousAnswer.status()).toBe(303);
	expect(anonymousAnswer.headers()['location']).toMatch(/^\/login/);
	await Promise.all([operator.context().close(), other.context().close(), anonymous.close()]);
});

test('Клиенты opens offline with what it last saw, this device’s waiting payments on top', async ({
	page,
	context
}) => {
	await logInAs(page, 'company@kopek.local');
	await openCounter(page, 'Касса клиентов');
	await waitForServiceWorker(page);
	await page.goto('/company/clients');
	const rows = page.locator('tbody tr');
	await expect(rows.first()).toContainText(/₽/);
	const before = await rows.count();
	const firstOnline = await rows.first().locator('td').allInnerTexts();

	await context.setOffline(true);
	await page.goto('/company/pay');
	await pay(page, '246801', '321');
	const reloaded = await page.goto('/company/clients');
	expect(reloaded?.fromServiceWorker()).toBe(true);
	await expect(page.getByRole('status').filter({ hasText: 'Нет связи с сервером' })).toBeVisible();
	await expect(rows.first()).toContainText('не синхронизировано');
	await expect(rows.first()).toContainText(/321,00\s₽/);
	await expect(rows).toHaveCount(before + 1);
	// The cached list below, as it was: the same operation, without the online-only refund.
	expect(await rows.nth(1).locator('td').allInnerTexts()).toEqual([...firstOnline.slice(0, 9), '']);
	await expect(page.getByRole('button', { name: 'Вернуть' })).toHaveCount(0);

	await context.setOffline(false);
	await expect(rows.first()).not.toContainText('не синхронизировано', { timeout: 20_000 });
	await expect(rows.first()).toContainText('Сидоров Пётр');
	await expect(rows.first()).toContainText(/321,00\s₽/);
	await expect(page.getByRole('status').filter({ hasText: 'Нет связи с сервером' })).toHaveCount(0);
});
