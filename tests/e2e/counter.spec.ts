import { expect, test } from '@playwright/test';
import { logInAs } from './support/auth';
import {
	openCounter,
	pay,
	readOutbox,
	readSynced,
	resend,
	waitForServiceWorker
} from './support/counter';
import { e2eSql } from './support/db';

test('payments taken offline survive a reload and sync exactly once when the network is back', async ({
	page,
	context
}) => {
	await logInAs(page, 'company@kopek.local');
	// Its own name: «Кассы» lists every till of the company, and other specs' tills are «Касса e2e».
	await openCounter(page, 'Касса e2e офлайн');
	await waitForServiceWorker(page);
	const status = page.getByRole('region', { name: 'Синхронизация' });

	// Online: the name comes from the server, the operation goes out at once, and step 3
	// trades the device's provisional cashback for the server's.
	await page.getByLabel('Введите QR код или ID клиента').fill('123455');
	await page.getByRole('button', { name: 'Продолжить' }).click();
	await expect(page.getByText('Иванов Иван')).toBeVisible();
	await page.getByLabel('Сумма счета, руб.:').fill('1000');
	await expect(page.locator('output')).toHaveText('100,00');
	await page.getByRole('button', { name: 'Провести оплату' }).click();
	await expect(page.getByRole('heading', { name: 'Операция прошла успешно' })).toBeVisible();
	await expect(page.getByText('1 000,00 ₽', { exact: true })).toBeVisible();
	await expect(page.getByText('Cash Back: 100,00 ₽')).toBeVisible();
	await expect(page.getByText('предварительно, до синхронизации')).toBeHidden();
	await page.getByRole('button', { name: 'Продолжить' }).click();
	await expect(status).toContainText('Все операции отправлены');
	await expect(status).toContainText('В сети');

	// Offline: names from the device's cache of recent customers, operations wait.
	await context.setOffline(true);
	await expect(status).toContainText('Нет сети');
	await pay(page, '765438', '250,50', { name: 'Петрова Мария', sum: '250,50 ₽' });
	await pay(page, '246801', '99', { name: 'Сидоров Пётр', sum: '99,00 ₽' });
	await expect(status).toContainText('Ждут отправки: 2');

	// A reload with no network at all: the service worker serves the counter shell.
	const reloaded = await page.reload();
	expect(reloaded?.fromServiceWorker()).toBe(true);
	await expect(page.getByRole('heading', { name: 'Оплата' })).toBeVisible();
	await expect(page.getByLabel('Введите QR код или ID клиента')).toBeVisible();
	await expect(status).toContainText('Нет сети');
	await expect(status).toContainText('Ждут отправки: 2');
	const waiting = await readOutbox(page);
	expect(waiting.map((op) => [op.customerId, op.amountKopecks, op.status])).toEqual([
		['765438', 25_050, 'waiting'],
		['246801', 9_900, 'waiting']
	]);

	// "Клиенты" opens offline too and shows this device's waiting operations first.
	const offlineList = await page.goto('/company/clients');
	expect(offlineList?.fromServiceWorker()).toBe(true);
	await expect(page.getByRole('row').filter({ hasText: 'не синхронизировано' })).toHaveCount(2);
	await page.goto('/company/pay');

	// The logout refuses while operations wait, and says why.
	await page.getByRole('button', { name: 'Выйти' }).click();
	await expect(page.getByRole('alert')).toContainText('Нельзя выйти');
	await expect(page).toHaveURL(/\/company\/pay$/);

	// Back online: both go out, once, with the server's cashback.
	await context.setOffline(false);
	await expect(status).toContainText('Все операции отправлены');
	await expect(status).toContainText('В сети');
	expect(await readOutbox(page)).toEqual([]);
	const synced = await readSynced(page);
	const ids = waiting.map((op) => op.id);
	expect(
		synced
			.filter((op) => ids.includes(op.id))
			.map((op) => [op.customerId, op.cashbackKopecks])
			.sort()
	).toEqual([
		['246801', 990],
		['765438', 2505]
	]);

	// "Клиенты" now lists them from the server, with the server's cashback.
	await page.goto('/company/clients');
	await expect(page.getByRole('row').filter({ hasText: 'не синхронизировано' })).toHaveCount(0);
	await expect(
		page
			.getByRole('row')
			.filter({ hasText: '765438' })
			.filter({ hasText: /250,50\s₽/ })
	).toContainText(/10\s%\s+\/\s+25,05\s₽/);
	await expect(
		page
			.getByRole('row')
			.filter({ hasText: '246801' })
			.filter({ hasText: /99,00\s₽/ })
			.first()
	).toContainText(/10\s%\s+\/\s+9,90\s₽/);

	// The company sees this terminal and its last sync.
	await page.goto('/company/terminals');
	const terminal = page.getByRole('row').filter({ hasText: 'Касса e2e офлайн' });
	await expect(terminal).toHaveCount(1);
	await expect(terminal).not.toContainText('ещё не было');

	// The server holds each exactly once: sending them again changes nothing.
	const again = await resend(page, waiting[0]!.deviceId, waiting);
	expect(again.map((o) => o.outcome)).toEqual(['duplicate', 'duplicate']);
	const sql = e2eSql();
	if (sql) {
		try {
			const rows = await sql`select id, cashback_kopecks from operations where id = any(${ids})`;
			expect(rows.map((r) => Number(r.cashback_kopecks)).sort()).toEqual([2505, 990].sort());
		} finally {
			await sql.end();
		}
	}
});

test('a mistyped ID is caught on the device, offline too, and the keyboard alone is enough', async ({
	page,
	context
}) => {
	await logInAs(page, 'company@kopek.local');
	await openCounter(page);
	await context.setOffline(true);
	const idField = page.getByLabel('Введите QR код или ID клиента');
	await idField.fill('123456');
	await idField.press('Enter');
	await expect(page.getByRole('alert')).toHaveText('ID клиента введён с ошибкой: проверьте цифры');
	await idField.fill('123455');
	await idField.press('Enter');
	const amount = page.getByLabel('Сумма счета, руб.:');
	await expect(amount).toBeFocused();
	await amount.fill('12,34');
	await expect(page.locator('output')).toHaveText('1,23');
	await amount.press('Escape');
	await expect(idField).toBeFocused();
	await idField.press('Enter');
	await expect(amount).toBeFocused();
	await amount.fill('12,34');
	await amount.press('Enter');
	await expect(page.getByRole('heading', { name: 'Операция прошла успешно' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Продолжить' })).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(idField).toBeFocused();
	await expect(idField).toHaveValue('');
	await context.setOffline(false);
	await expect(page.getByRole('region', { name: 'Синхронизация' })).toContainText(
		'Все операции отправлены'
	);
});
