import { expect, test } from '@playwright/test';
import { luhnCheckDigit } from '../../src/lib/domain/customer-id';
import { logInAs } from './support/auth';
import { pay, readOutbox } from './support/counter';
import { openShift, pairTerminal } from './support/terminal';

test('a terminal revoked while online learns it at its next contact and takes no payment (issue 19)', async ({
	page,
	browser
}, testInfo) => {
	test.setTimeout(90_000);
	await logInAs(page, 'company@kopek.local');
	const { tablet, t } = await pairTerminal(page, browser, {
		baseURL: testInfo.project.use.baseURL,
		name: 'Касса отзыва',
		idleSeconds: 600
	});
	await openShift(t);
	await pay(t, '123455', '100');
	const status = t.getByRole('region', { name: 'Синхронизация' });
	await expect(status).toContainText('Все операции отправлены');

	// The admin revokes it in the cabinet, default mode; the terminal's screen is unchanged.
	await page.goto('/company/terminals');
	const row = page.getByRole('row').filter({ hasText: 'Касса отзыва' });
	await row.getByText('Отключить', { exact: true }).click();
	await row.getByRole('button', { name: 'Отключить кассу' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Касса отключена' })).toBeVisible();
	await expect(t.getByLabel('Введите QR код или ID клиента')).toBeVisible();

	// Its next contact (the lookup of a customer it has not seen) answers «revoked»: the
	// terminal says so at once and no payment can be started.
	const unseen = `99999${luhnCheckDigit('99999')}`;
	await t.getByLabel('Введите QR код или ID клиента').fill(unseen);
	await t.getByRole('button', { name: 'Продолжить' }).click();
	await expect(t.getByRole('heading', { name: 'Касса отключена администратором' })).toBeVisible();
	await expect(t.getByLabel('Введите QR код или ID клиента')).toHaveCount(0);
	await expect(t.getByLabel('Сумма счета, руб.:')).toHaveCount(0);
	await expect(t.getByRole('button', { name: 'Провести оплату' })).toHaveCount(0);
	expect(await readOutbox(t)).toEqual([]);

	// A reload keeps it so (kept in IndexedDB, and the server says it again).
	await t.reload();
	await expect(t.getByRole('heading', { name: 'Касса отключена администратором' })).toBeVisible();
	await expect(t.getByLabel('Введите QR код или ID клиента')).toHaveCount(0);
	await tablet.close();
});

test('an idle terminal learns of its revocation without any payment (the periodic check)', async ({
	page,
	browser
}, testInfo) => {
	test.setTimeout(90_000);
	await logInAs(page, 'company@kopek.local');
	const { tablet, t } = await pairTerminal(page, browser, {
		baseURL: testInfo.project.use.baseURL,
		name: 'Касса без дела',
		idleSeconds: 600,
		beforePairing: (tab) => tab.clock.install()
	});
	await openShift(t);
	await page.goto('/company/terminals');
	const row = page.getByRole('row').filter({ hasText: 'Касса без дела' });
	await row.getByText('Отключить', { exact: true }).click();
	await row.getByRole('button', { name: 'Отключить кассу' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Касса отключена' })).toBeVisible();

	// Nobody touches the terminal; within half a minute it asks the server about itself.
	await t.clock.fastForward('00:46');
	await expect(t.getByRole('heading', { name: 'Касса отключена администратором' })).toBeVisible();
	await expect(t.getByLabel('Введите QR код или ID клиента')).toHaveCount(0);
	await tablet.close();
});
