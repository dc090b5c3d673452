import { expect, test, type Page } from '@playwright/test';
import { logInAs } from './support/auth';
import { openCounter, pay, readSynced } from './support/counter';

const READY = 'Готово к работе без сети';
const PREPARING = 'Подготовка к работе без сети…';

/** «Клиенты» as opened with no server: the device's operations, no error, a real period. */
async function expectDeviceClients(page: Page) {
	await expect(page.getByRole('heading', { name: 'Клиенты' })).toBeVisible();
	await expect(page.getByText('Что-то пошло не так')).toHaveCount(0);
	await expect(page.getByText('Не удалось загрузить операции')).toHaveCount(0);
	await expect(
		page.getByText('Показаны только операции, проведённые на этом устройстве')
	).toBeVisible();
	// The period's dates come from the device: never an empty «Месяц:».
	await expect(page.locator('.range')).toHaveText(/^Месяц: \d+ \S+ \d{4}.* — \d+ \S+ \d{4}/);
	// The payment sent while online (the server's figures) and the one waiting on the device.
	const sent = page.getByRole('row').filter({ hasText: '246801' });
	await expect(sent).toHaveCount(1);
	await expect(sent).not.toContainText('не синхронизировано');
	await expect(sent).toContainText(/300,00\s₽/);
	await expect(
		page.getByRole('row').filter({ hasText: '765438' }).filter({ hasText: 'не синхронизировано' })
	).toHaveCount(1);
}

test('offline in the first minute: «Готово к работе без сети», then «Клиенты» shows the device’s operations', async ({
	page,
	context
}) => {
	await logInAs(page, 'company@kopek.local');
	await openCounter(page, 'Касса без сети 1');
	await expect(page.getByText(READY)).toBeVisible({ timeout: 30_000 });
	await expect(page.getByText(PREPARING)).toBeHidden();

	// One payment reaches the server, then the network goes and another one waits.
	await pay(page, '246801', '300');
	await expect.poll(async () => (await readSynced(page)).length).toBe(1);
	await context.setOffline(true);
	await pay(page, '765438', '500');

	// «Клиенты» has never been opened on this device: from the menu (in the tab) ...
	await page.getByRole('navigation').getByRole('link', { name: 'Клиенты' }).click();
	await expectDeviceClients(page);

	// ... and as a fresh page load, from the worker's shell.
	await page.goto('/company/clients');
	await expectDeviceClients(page);

	// Back online: the server's list and totals replace the device's own view.
	await context.setOffline(false);
	await expect(
		page.getByText('Показаны только операции, проведённые на этом устройстве')
	).toHaveCount(0);
	await expect(page.locator('dl.totals')).toBeVisible();
});

test('until the service worker has installed, the counter says it is still preparing, and the change moves nothing', async ({
	page,
	context
}) => {
	// Holds the worker's registration until the test lets it go.
	await page.addInitScript(() => {
		const register = ServiceWorkerContainer.prototype.register;
		let release: () => void = () => {};
		const gate = new Promise<void>((resolve) => (release = resolve));
		(window as unknown as { __releaseWorker: () => void }).__releaseWorker = () => release();
		ServiceWorkerContainer.prototype.register = async function (
			this: ServiceWorkerContainer,
			...args: Parameters<ServiceWorkerContainer['register']>
		) {
			await gate;
			return register.apply(this, args);
		};
	});
	await logInAs(page, 'company@kopek.local');
	await openCounter(page, 'Касса без сети 2');

	const preparing = page.getByText(PREPARING);
	await expect(preparing).toBeVisible();
	await page.waitForTimeout(2500); // the counter loads its pages' code when idle (at most 2 s)
	await expect(preparing).toBeVisible();
	await expect(page.getByText(READY)).toBeHidden();

	// The network goes before the worker is there: «Клиенты» still opens in the tab (its code
	// was loaded with the counter's), with no error page.
	await context.setOffline(true);
	const nav = page.getByRole('navigation');
	await nav.getByRole('link', { name: 'Клиенты' }).click();
	await expect(page.getByRole('heading', { name: 'Клиенты' })).toBeVisible();
	await expect(
		page.getByText('Показаны только операции, проведённые на этом устройстве')
	).toBeVisible();
	await expect(page.getByText('Что-то пошло не так')).toHaveCount(0);
	await context.setOffline(false);
	await nav.getByRole('link', { name: 'Оплата' }).click();
	await expect(preparing).toBeVisible();

	const waitingNote = page.getByText('Все операции отправлены');
	const field = page.getByLabel('Введите QR код или ID клиента');
	const before = [await waitingNote.boundingBox(), await field.boundingBox()];

	await page.evaluate(() =>
		(window as unknown as { __releaseWorker: () => void }).__releaseWorker()
	);
	await expect(page.getByText(READY)).toBeVisible({ timeout: 30_000 });
	await expect(preparing).toBeHidden();
	expect([await waitingNote.boundingBox(), await field.boundingBox()]).toEqual(before);
});
