import { expect, test } from '@playwright/test';
import { logInAs } from './support/auth';

/*
 * Issue 19 item 7: tills did pile up — every «Оплата» opened registered another, the offered
 * «Касса 1» duplicated an existing one, and an owner login's till could be neither renamed nor
 * retired. One till per browser profile, the next free «Касса N», rename and retire for all.
 */
test('one profile, two tabs, a reload and «Оплата» again: one till, a free name; renamed and retired', async ({
	page,
	context
}) => {
	await logInAs(page, 'company@kopek.local');
	await page.goto('/company/terminals');
	const names = page.locator('tbody .till-name');
	await expect(names.first()).toBeVisible();
	const before = await names.allTextContents();

	// Two tabs of the same profile open «Оплата» before either has a till.
	const second = await context.newPage();
	await page.goto('/company/pay');
	await second.goto('/company/pay');
	const field = page.getByLabel('Название кассы');
	await expect(field).toHaveValue(/^Касса \d+$/);
	const offered = await field.inputValue();
	expect(before).not.toContain(offered);
	await expect(second.getByLabel('Название кассы')).toHaveValue(offered);
	const idField = (p: typeof page) => p.getByLabel('Введите QR код или ID клиента');
	await page.getByRole('button', { name: 'Зарегистрировать кассу' }).click();
	await expect(idField(page)).toBeVisible();
	await second.getByRole('button', { name: 'Зарегистрировать кассу' }).click();
	await expect(idField(second)).toBeVisible();
	await second.reload();
	await expect(idField(second)).toBeVisible();
	const third = await context.newPage();
	await third.goto('/company/pay');
	await expect(idField(third)).toBeVisible();
	await second.close();
	await third.close();

	await page.goto('/company/terminals');
	await expect(names).toHaveCount(before.length + 1);
	expect((await names.allTextContents()).filter((n) => n === offered)).toHaveLength(1);

	// The owner login's till is renamed and retired like any other («Касса 2» is not «Касса 21»).
	const row = page
		.getByRole('row')
		.filter({ has: page.locator('.till-name').getByText(offered, { exact: true }) });
	await row.getByText('Переименовать').click();
	await row.getByLabel('Новое название').fill('Касса в профиле e2e');
	await row.getByRole('button', { name: 'Сохранить название' }).click();
	await expect(
		page.getByRole('status').filter({ hasText: 'Название кассы сохранено' })
	).toBeVisible();
	const renamed = page
		.getByRole('row')
		.filter({ has: page.locator('.till-name', { hasText: 'Касса в профиле e2e' }) });
	await expect(renamed).toContainText('Вход администратора');
	await renamed.getByText('Вывести из работы').click();
	await renamed.getByRole('button', { name: 'Вывести кассу из работы' }).click();
	await expect(renamed).toContainText('Выведена из работы');

	// The profile learns of it at its next contact and asks for a till again.
	await page.goto('/company/pay');
	await expect(page.getByLabel('Название кассы')).toBeVisible();
	// (The renamed till left its old name free: the next free one is offered, once it is known.)
	await expect(page.getByLabel('Название кассы')).toHaveValue(/^Касса \d+$/);
});
