import { expect, test, type Locator, type Page } from '@playwright/test';
import { logInAs } from './support/auth';
import { openCounter } from './support/counter';
import { waitForReady } from './support/hydration';

/** Sums layout shifts not caused by input (the CLS of one page load), from the start. */
async function watchLayoutShifts(page: Page) {
	await page.addInitScript(() => {
		const w = window as unknown as { __cls: number };
		w.__cls = 0;
		new PerformanceObserver((list) => {
			for (const entry of list.getEntries() as (PerformanceEntry & {
				value: number;
				hadRecentInput: boolean;
			})[]) {
				if (!entry.hadRecentInput) w.__cls += entry.value;
			}
		}).observe({ type: 'layout-shift', buffered: true });
	});
}

/** Where an element is on the page (not in the viewport): scrolling does not change it. */
const pageY = (locator: Locator) =>
	locator.evaluate((el) => el.getBoundingClientRect().top + window.scrollY);

const readCls = (page: Page) => page.evaluate(() => (window as unknown as { __cls: number }).__cls);

for (const viewport of [
	{ width: 1024, height: 768 },
	{ width: 390, height: 844 }
]) {
	test(`the counter's payment page loads with CLS at most 0.05 (${viewport.width} px)`, async ({
		page
	}) => {
		await page.setViewportSize(viewport);
		await logInAs(page, 'company@kopek.local');
		await openCounter(page);
		await watchLayoutShifts(page);
		await page.goto('/company/pay');
		await expect(page.getByLabel('Введите QR код или ID клиента')).toBeVisible();
		await page.waitForLoadState('networkidle');
		await page.waitForTimeout(1500); // late shifts (the sync status, fonts) count too
		const cls = await readCls(page);
		console.log(`CLS /company/pay at ${viewport.width} px: ${cls.toFixed(4)}`);
		expect(cls).toBeLessThanOrEqual(0.05);

		// an error under the ID field does not move the buttons below it
		const button = page.getByRole('button', { name: 'Продолжить' });
		const before = await pageY(button);
		await page.getByLabel('Введите QR код или ID клиента').fill('123456');
		await button.click();
		await expect(page.locator('#customer-error')).toHaveText(/\S/);
		expect(await pageY(button)).toBe(before);
	});
}

test('on /register an error appearing does not move the consent a finger is about to tap', async ({
	page
}) => {
	await page.setViewportSize({ width: 390, height: 844 });
	await page.goto('/register');
	// The errors come from the page's script: typing before it runs is another test's subject.
	await waitForReady(page);
	const consent = page.getByLabel('Я согласен с Политикой конфиденциальности');
	const before = await pageY(consent);
	await page.getByLabel('E-mail (логин)').fill('not an e-mail');
	await page.getByLabel('Телефон').fill('12');
	await page.getByLabel('Пароль', { exact: true }).fill('short');
	await page.getByLabel('Повторите пароль').fill('other');
	await page.getByLabel('Я согласен с условиями Пользовательского соглашения').check();
	await page.getByLabel('Я согласен с условиями Пользовательского соглашения').uncheck();
	await expect(page.getByText('Пароль должен быть не короче 8 символов')).toBeVisible();
	await expect(page.getByText('Нужно согласие с Пользовательским соглашением')).toBeVisible();
	expect(await pageY(consent)).toBe(before);
	await consent.click();
	await expect(consent).toBeChecked();
});
