import { expect, test } from '@playwright/test';
import { logInAs } from './support/auth';

/*
 * Issue 19 item 9: self-registration asks for the INN and fills the company from the state
 * registry, as the partner's form does, so the operator reviews a real company — not
 * «Новая компания», ИНН «—».
 */
test('a self-registered company reaches review with the registry’s name, INN and director', async ({
	page,
	browser
}, testInfo) => {
	const email = `books-${Date.now()}@example.test`;
	const password = 'Надёжный пароль 2026';
	await page.goto('/register');
	const name = page.getByLabel('Название компании');
	await page.getByLabel('ИНН компании').fill('6670188990');
	await expect(
		page.getByText('Данные компании заполнены из государственного реестра')
	).toBeVisible();
	await expect(name).toHaveValue('АО "УРАЛЬСКИЙ КНИЖНЫЙ ДОМ"');
	await expect(name).toHaveAttribute('readonly', '');
	await expect(page.getByText('Белов Дмитрий')).toBeVisible();
	await expect(page.getByText(/г Екатеринбург, ул Малышева/)).toBeVisible();
	await page.getByLabel('E-mail (логин)').fill(email);
	await page.getByLabel('Телефон').fill('912-345-67-89');
	await page.getByLabel('Пароль', { exact: true }).fill(password);
	await page.getByLabel('Повторите пароль').fill(password);
	await page.getByLabel('Я согласен с условиями Пользовательского соглашения').check();
	await page.getByLabel('Я согласен с Политикой конфиденциальности').check();
	await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
	await expect(page).toHaveURL(/\/company\?registered=1$/);
	await expect(page.getByRole('heading', { name: 'АО "УРАЛЬСКИЙ КНИЖНЫЙ ДОМ"' })).toBeVisible();

	// A second registration of the same INN is refused under the INN.
	const again = await (
		await browser.newContext({ baseURL: testInfo.project.use.baseURL, locale: 'ru-RU' })
	).newPage();
	await again.goto('/register');
	await again.getByLabel('ИНН компании').fill('6670188990');
	await expect(again.getByLabel('Название компании')).toHaveValue('АО "УРАЛЬСКИЙ КНИЖНЫЙ ДОМ"');
	await again.getByLabel('E-mail (логин)').fill(`again-${email}`);
	await again.getByLabel('Телефон').fill('912-345-67-80');
	await again.getByLabel('Пароль', { exact: true }).fill(password);
	await again.getByLabel('Повторите пароль').fill(password);
	await again.getByLabel('Я согласен с условиями Пользовательского соглашения').check();
	await again.getByLabel('Я согласен с Политикой конфиденциальности').check();
	await again.getByRole('button', { name: 'Зарегистрироваться' }).click();
	await expect(again.getByText(/Компания с этим ИНН уже зарегистрирована/)).toBeVisible();
	await again.context().close();

	const operator = await (
		await browser.newContext({ baseURL: testInfo.project.use.baseURL, locale: 'ru-RU' })
	).newPage();
	await logInAs(operator, 'operator@kopek.local');
	await operator.goto('/operator/review');
	const card = operator.getByRole('region', { name: new RegExp(email) });
	await expect(card.getByRole('heading', { level: 2 })).toContainText('АО "УРАЛЬСКИЙ КНИЖНЫЙ ДОМ"');
	await expect(card).toContainText('6670188990');
	await expect(card).toContainText('Екатеринбург');
	await expect(card).toContainText('Белов Дмитрий');
	await expect(card).toContainText('ул Малышева, д 31');
	await operator.context().close();
});
