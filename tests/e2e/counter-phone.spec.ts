import { expect, test } from '@playwright/test';
import { logInAs } from './support/auth';
import { openCounter, pay, waitForServiceWorker } from './support/counter';

/*
 * Issue 19 item 10: at the counter a customer is found by phone as well as by ID or QR
 * (online only: offline the cashier is asked for the ID), and «Клиенты» is searched by
 * customer ID or name.
 */
test('a customer found by phone at step 1, offline asked for the ID, «Клиенты» searched', async ({
	page,
	context
}) => {
	await logInAs(page, 'company@kopek.local');
	await openCounter(page);
	await waitForServiceWorker(page);
	const field = page.getByLabel('Введите QR код или ID клиента');

	await pay(page, '123455', '120', { name: 'Иванов Иван' });

	// Петрова Мария's phone is +7 922 222-22-22, typed the way a cashier hears it.
	await field.fill('8 922 222-22-22');
	await page.getByRole('button', { name: 'Продолжить' }).click();
	await expect(page.getByText('Петрова Мария')).toBeVisible();
	await expect(page.getByText('ID клиента: 765438')).toBeVisible();
	await page.getByLabel('Сумма счета, руб.:').fill('300');
	await page.getByRole('button', { name: 'Провести оплату' }).click();
	await expect(page.getByRole('heading', { name: 'Операция прошла успешно' })).toBeVisible();
	await page.getByRole('button', { name: 'Продолжить' }).click();

	await field.fill('+7 (999) 000-00-00');
	await page.getByRole('button', { name: 'Продолжить' }).click();
	await expect(page.locator('#customer-error')).toHaveText(
		'Клиент с телефоном 999-000-0000 не найден'
	);

	// Offline a phone cannot be resolved: step 1 says so calmly and stays; an ID still works.
	await context.setOffline(true);
	await field.fill('+7 922 222-22-22');
	await page.getByRole('button', { name: 'Продолжить' }).click();
	await expect(page.locator('#customer-error')).toHaveText(
		'Без связи с сервером клиента по телефону не найти. Попросите ID клиента или QR код.'
	);
	await expect(field).toBeVisible();
	await field.fill('765438');
	await page.getByRole('button', { name: 'Продолжить' }).click();
	await expect(page.getByLabel('Сумма счета, руб.:')).toBeVisible();
	await expect(page.getByText('Петрова Мария')).toBeVisible();
	await context.setOffline(false);

	// «Клиенты»: the search narrows the list to one customer, by name or by the ID's start.
	await page.goto('/company/clients?period=day');
	const table = page.getByRole('table');
	await expect(table.getByText('Иванов Иван').first()).toBeVisible();
	await expect(table.getByText('Петрова Мария').first()).toBeVisible();
	await page.getByLabel('Поиск клиента').fill('петрова');
	await page.getByRole('button', { name: 'Найти' }).click();
	await expect(page).toHaveURL(/q=%D0%BF%D0%B5%D1%82%D1%80%D0%BE%D0%B2%D0%B0/);
	await expect(table.getByText('Петрова Мария').first()).toBeVisible();
	await expect(table.getByText('Иванов Иван')).toHaveCount(0);
	await page.getByLabel('Поиск клиента').fill('1234');
	await page.getByLabel('Поиск клиента').press('Enter');
	await expect(table.getByText('Иванов Иван').first()).toBeVisible();
	await expect(table.getByText('Петрова Мария')).toHaveCount(0);
	await page.getByRole('button', { name: 'Сбросить' }).click();
	await expect(table.getByText('Петрова Мария').first()).toBeVisible();
});
