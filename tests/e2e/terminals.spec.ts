import { expect, test } from '@playwright/test';
import { logInAs } from './support/auth';
import { pay, readOutbox, readSynced, waitForServiceWorker } from './support/counter';

test('a paired terminal: cashier shift with PIN, offline payments, idle lock, sync, revocation', async ({
	page,
	browser
}, testInfo) => {
	test.setTimeout(120_000);
	// The admin: a short idle lock for the test, then a pairing code for a new terminal.
	await logInAs(page, 'company@kopek.local');
	await page.goto('/company/terminals');
	const idle = page.getByRole('region', { name: 'Блокировка кассы' });
	await idle.getByLabel('Запрашивать PIN-код после бездействия, секунд').fill('10');
	await idle.getByRole('button', { name: 'Сохранить' }).click();
	await expect(page.getByRole('region', { name: 'Блокировка кассы' })).toContainText('Сохранено');
	await page.getByLabel('Название кассы').fill('Касса у окна');
	await page.getByRole('button', { name: 'Получить код подключения' }).click();
	const code = (await page.getByTestId('pairing-code').textContent())?.trim() ?? '';
	expect(code).toMatch(/^[34679ACDEFGHJKMNPQRTUVWXY]{4}-[34679ACDEFGHJKMNPQRTUVWXY]{4}$/);
	await expect(page.getByRole('img', { name: 'QR код подключения кассы' })).toBeVisible();

	// A second browser, signed out: the tablet pairs at /pair with no login.
	const use = testInfo.project.use;
	const tablet = await browser.newContext({
		baseURL: use.baseURL,
		locale: 'ru-RU',
		timezoneId: 'Europe/Moscow'
	});
	const t = await tablet.newPage();
	await t.goto('/pair');
	await t.getByLabel('Код подключения').fill(code.toLowerCase());
	await t.getByRole('button', { name: 'Подключить кассу' }).click();
	await expect(t).toHaveURL(/\/company\/pay$/);
	await waitForServiceWorker(t);
	const cookies = await tablet.cookies();
	expect(cookies.map((c) => c.name)).toContain('kopek_terminal');
	expect(cookies.map((c) => c.name)).not.toContain('kopek_session');

	// A cashier opens the shift with the PIN; a wrong one is counted.
	await expect(t.getByRole('heading', { name: 'Открытие смены' })).toBeVisible();
	await t.getByLabel('Кассир').selectOption({ label: 'Анна' });
	await t.getByLabel('PIN-код').fill('1234');
	await t.getByRole('button', { name: 'Открыть смену' }).click();
	await expect(t.getByRole('alert')).toContainText('Осталось попыток: 4');
	await t.getByLabel('PIN-код').fill('1111');
	await t.getByRole('button', { name: 'Открыть смену' }).click();
	await expect(t.getByText(/Кассир: Анна · смена с/)).toBeVisible();
	const status = t.getByRole('region', { name: 'Синхронизация' });

	// One payment online, two offline.
	await pay(t, '123455', '1000', { name: 'Иванов Иван' });
	await expect(status).toContainText('Все операции отправлены');
	await tablet.setOffline(true);
	await expect(status).toContainText('Нет сети');
	await pay(t, '765438', '250,50', { name: 'Петрова Мария' });
	await pay(t, '246801', '99', { name: 'Сидоров Пётр' });
	await expect(status).toContainText('Ждут отправки: 2');
	const waiting = await readOutbox(t);
	expect(waiting).toHaveLength(2);

	// A reload with no network: the shift survives…
	const reloaded = await t.reload();
	expect(reloaded?.fromServiceWorker()).toBe(true);
	await expect(t.getByText(/Кассир: Анна · смена с/)).toBeVisible();
	await expect(status).toContainText('Ждут отправки: 2');
	// …and after the idle time the PIN is asked again.
	await expect(t.getByRole('heading', { name: 'Касса заблокирована' })).toBeVisible({
		timeout: 20_000
	});
	await t.getByLabel('PIN-код').fill('1111');
	await t.getByRole('button', { name: 'Разблокировать' }).click();
	await expect(t.getByText(/Кассир: Анна · смена с/)).toBeVisible();

	// Back online: both go out, once, attributed to the cashier.
	await tablet.setOffline(false);
	await expect(status).toContainText('Все операции отправлены');
	expect(await readOutbox(t)).toEqual([]);
	const synced = (await readSynced(t)) as { id: string; cashierName?: string }[];
	expect(
		synced.filter((op) => waiting.some((w) => w.id === op.id)).map((op) => op.cashierName)
	).toEqual(['Анна', 'Анна']);

	// The shift's X-report on the terminal.
	await t.getByRole('link', { name: 'Смена', exact: true }).click();
	const report = t.getByRole('article', { name: 'Отчёт о смене (X-отчёт)' });
	await expect(report).toContainText('Анна');
	await expect(report).toContainText('Касса у окна');
	await expect(report).toContainText(/Оплат\s*3/);
	await expect(report).toContainText(/1\s349,50\s₽/);

	// The admin's list shows the terminal and the cashier, and filters by them.
	await page.goto('/company/clients');
	const rows = page.getByRole('row').filter({ hasText: 'Касса у окна' });
	await expect(rows).toHaveCount(3);
	await expect(rows.filter({ hasText: 'Анна' })).toHaveCount(3);
	await page.getByLabel('Кассир', { exact: true }).selectOption({ label: 'Борис' });
	await expect(page).toHaveURL(/cashier=/);
	await expect(page.getByRole('row').filter({ hasText: 'Касса у окна' })).toHaveCount(0);

	// A refund at the terminal needs the cashier's refund PIN (8 digits), not the shift PIN.
	await t.goto('/company/clients');
	const locked = t.getByRole('heading', { name: 'Касса заблокирована' });
	const refundButton = t
		.getByRole('row')
		.filter({ hasText: 'Сидоров Пётр' })
		.getByRole('button', { name: 'Вернуть' });
	await expect(refundButton.or(locked)).toBeVisible();
	if (await locked.isVisible()) {
		await t.getByLabel('PIN-код').fill('1111');
		await t.getByRole('button', { name: 'Разблокировать' }).click();
	}
	await refundButton.click();
	await t.getByLabel('Причина возврата').fill('Возврат товара');
	await t.getByLabel('PIN-код возврата кассира Анна (8 цифр)').fill('1111');
	await t.getByRole('button', { name: 'Оформить возврат' }).click();
	await expect(t.getByRole('alert')).toContainText('PIN-код возврата — 8 цифр');
	await t.getByLabel('PIN-код возврата кассира Анна (8 цифр)').fill('13572468');
	await t.getByRole('button', { name: 'Оформить возврат' }).click();
	await expect(t.getByRole('alert')).toContainText('Неверный PIN-код возврата');
	await t.getByLabel('PIN-код возврата кассира Анна (8 цифр)').fill('24681357');
	await t.getByRole('button', { name: 'Оформить возврат' }).click();
	await expect(t.getByRole('status').filter({ hasText: 'Возврат оформлен' })).toBeVisible();

	// One more payment offline, then the admin revokes the terminal, rejecting what it did not send.
	await t.goto('/company/pay');
	await expect(
		t
			.getByText(/Кассир: Анна · смена с/)
			.or(t.getByRole('heading', { name: 'Касса заблокирована' }))
	).toBeVisible();
	if (await t.getByRole('heading', { name: 'Касса заблокирована' }).isVisible()) {
		await t.getByLabel('PIN-код').fill('1111');
		await t.getByRole('button', { name: 'Разблокировать' }).click();
	}
	await tablet.setOffline(true);
	await pay(t, '123455', '500');
	await page.goto('/company/terminals');
	const row = page.getByRole('row').filter({ hasText: 'Касса у окна' });
	await row.getByText('Отключить', { exact: true }).click();
	await row.getByLabel(/Отклонить все неотправленные операции/).check();
	await row.getByRole('button', { name: 'Отключить кассу' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Касса отключена' })).toBeVisible();
	await expect(page.getByRole('row').filter({ hasText: 'Касса у окна' })).toContainText(
		'Отключена'
	);

	// The counter says so clearly and keeps the unsent operation visible.
	await tablet.setOffline(false);
	await expect(t.getByRole('heading', { name: 'Касса отключена' })).toBeVisible();
	await expect(t.getByText('Не отправлено операций: 1')).toBeVisible();
	await expect(t.getByText('Касса отключена администратором: операция не принята')).toBeVisible();
	await expect(t.getByLabel('Введите QR код или ID клиента')).toHaveCount(0);
	const kept = await readOutbox(t);
	expect(kept.map((op) => [op.amountKopecks, op.status, op.reason])).toEqual([
		[50_000, 'rejected', 'terminal_revoked']
	]);
	await tablet.close();
});
