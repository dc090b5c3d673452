import { expect, test, type Page } from '@playwright/test';
import { logInAs } from './support/auth';
import { e2eSql } from './support/db';

/**
 * The partner cabinet (seed 001): a client registered by INN with its details filled from the
 * bundled demo registry, a license spent, the new company pending, a terminal registered.
 */

async function licenses(page: Page): Promise<number> {
	const text = await page.getByText(/Доступно лицензий: \d+/).textContent();
	return Number(/(\d+)/.exec(text ?? '')?.[1]);
}

test('the partner registers a client by INN and the new company is pending', async ({ page }) => {
	const email = `chaikhana-${Date.now()}@example.test`;
	await logInAs(page, 'partner@kopek.local');
	await expect(page).toHaveURL(/\/partner$/);
	await expect(page.getByRole('heading', { name: 'Клиенты' })).toBeVisible();
	const before = await licenses(page);

	await page.getByRole('link', { name: 'Зарегистрировать клиента' }).click();
	await expect(page.getByRole('heading', { name: 'Регистрация нового клиента' })).toBeVisible();

	// A wrong check digit is caught in the browser as it is typed (12 digits) or on leaving.
	const inn = page.getByLabel('ИНН', { exact: true });
	const wrongDigit = page.getByText('Неверный ИНН: не сходится контрольная цифра');
	await inn.pressSequentially('165500112296');
	await expect(wrongDigit).toBeVisible();
	await inn.fill('1655012345');
	await expect(wrongDigit).toHaveCount(0);
	await inn.blur();
	await expect(wrongDigit).toBeVisible();

	// A valid INN fills the company from the registry.
	await inn.fill('1655012344');
	await expect(
		page.getByText('Данные компании заполнены из государственного реестра')
	).toBeVisible();
	await expect(page.getByLabel('Компания', { exact: true })).toHaveValue('ООО "ЧАЙХАНА ВОСТОК"');
	await expect(page.getByLabel('Фамилия')).toHaveValue('Хабибуллин');
	await expect(page.getByLabel('Имя')).toHaveValue('Рустам');
	await expect(page.getByLabel('КПП')).toHaveValue('165501001');
	await expect(page.getByLabel('Индекс')).toHaveValue('420111');
	await expect(page.getByLabel('Регион')).toHaveValue('Респ Татарстан');
	await expect(page.getByLabel('Город')).toHaveValue('Казань');
	await expect(page.getByLabel('Улица')).toHaveValue('ул Баумана');
	await expect(page.getByLabel('Дом')).toHaveValue('44');

	await page.getByLabel('Номер телефона').fill('987-654-3210');
	await page.getByLabel('E-mail').fill(email);
	await page.getByLabel('Пароль').fill('чайхана на Баумана');
	await page.getByRole('button', { name: 'Зарегистрировать' }).click();

	await expect(page.getByRole('heading', { name: 'Клиент успешно зарегистрирован' })).toBeVisible();
	await expect(page.getByText(`Осталось лицензий: ${before - 1}`)).toBeVisible();

	await page.getByRole('link', { name: 'Перейти в карточку клиента' }).click();
	await expect(page.getByRole('heading', { name: 'ООО "ЧАЙХАНА ВОСТОК"' })).toBeVisible();
	await expect(page.getByText('Ждёт проверки документов', { exact: true })).toBeVisible();
	await expect(page.getByText('+79876543210')).toHaveCount(0);
	await expect(page.getByText('987-654-3210')).toBeVisible();
	await expect(page.getByText('1161690012340')).toBeVisible();

	// "Зарегистрировать кассу" for the new client.
	await page.getByLabel('Название новой кассы').fill('Касса у входа');
	await page.getByRole('button', { name: 'Зарегистрировать кассу' }).click();
	await expect(page.getByText('Касса «Касса у входа» зарегистрирована')).toBeVisible();
	await expect(page.getByRole('cell', { name: 'Касса у входа' })).toBeVisible();

	await page.getByRole('link', { name: /Вернуться к списку клиентов/ }).click();
	const row = page.getByRole('row', { name: /ЧАЙХАНА ВОСТОК/ });
	await expect(row).toContainText('1655012344');
	await expect(row).toContainText('Ждёт проверки документов');
	expect(await licenses(page)).toBe(before - 1);

	const sql = e2eSql();
	if (sql) {
		try {
			const [company] = await sql`
				select c.status, c.inviter_partner_id, c.phone, c.email, u.role,
					(select count(*)::int from devices d where d.company_id = c.id) as devices
				from companies c join users u on u.company_id = c.id
				where c.inn = '1655012344'`;
			expect(company).toEqual({
				status: 'pending',
				inviter_partner_id: 1,
				phone: '+79876543210',
				email,
				role: 'company',
				devices: 1
			});
		} finally {
			await sql.end();
		}
	}
});

test('an INN or e-mail already registered is refused with the seed wording', async ({ page }) => {
	await logInAs(page, 'partner@kopek.local');
	await page.goto('/partner/register');
	// Albixe's e-mail is a login already; this INN belongs to nobody yet.
	await page.getByLabel('ИНН', { exact: true }).fill('2310043216');
	await expect(page.getByLabel('Компания', { exact: true })).toHaveValue('ООО "КУБАНСКАЯ ПИЦЦА"');
	await page.getByLabel('Номер телефона').fill('9876543211');
	await page.getByLabel('E-mail').fill('company@kopek.local');
	await page.getByLabel('Пароль').fill('кубанская пицца 2026');
	await page.getByRole('button', { name: 'Зарегистрировать' }).click();
	await expect(
		page.getByText('Этот e-mail уже зарегистрирован: обратитесь к региональному менеджеру')
	).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Клиент успешно зарегистрирован' })).toHaveCount(
		0
	);
	// Nothing was created: the pizza place is not among the clients.
	await page.goto('/partner');
	await expect(page.getByRole('row', { name: /КУБАНСКАЯ ПИЦЦА/ })).toHaveCount(0);
});
