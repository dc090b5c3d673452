import { expect, test, type Page } from '@playwright/test';
import { logInAs } from './support/auth';
import { openCounter } from './support/counter';

/**
 * Issue 12, items 8, 10 and 11 as a cashier meets them: the counter uses a tablet's width in
 * large type, the chart's axis labels are whole and readable on a phone, and money reads the
 * same in the list as at the counter.
 */

/** The one money format: grouped rubles, always two decimals, the ruble sign (refunds negative). */
const MONEY = /^-?\d{1,3}(?:\s\d{3})*,\d{2}\s₽$/;

async function fontPx(page: Page, selector: string): Promise<number> {
	return page
		.locator(selector)
		.first()
		.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
}

test('on a 1024 px tablet the payment card takes the width and the bill and cashback are large', async ({
	page
}) => {
	await page.setViewportSize({ width: 1024, height: 768 });
	await logInAs(page, 'company@kopek.local');
	await openCounter(page);
	const card = page.getByRole('region', { name: 'Оплата' });
	expect((await card.boundingBox())!.width).toBeGreaterThan(900);
	await page.getByLabel('Введите QR код или ID клиента').fill('123455');
	await page.getByRole('button', { name: 'Продолжить' }).click();
	await page.getByLabel('Сумма счета, руб.:').fill('1000');
	await expect(page.getByLabel('Cash Back, руб.:')).toHaveText('100,00');
	expect(await fontPx(page, '#amount')).toBeGreaterThanOrEqual(32);
	expect(await fontPx(page, 'output[aria-labelledby="cashback-label"]')).toBeGreaterThanOrEqual(32);
	// the buttons are on the screen with the cashback offer beside the bill
	const submit = page.getByRole('button', { name: 'Провести оплату' });
	const box = (await submit.boundingBox())!;
	expect(box.y + box.height).toBeLessThanOrEqual(768);
});

for (const width of [390, 1024]) {
	test(`the chart's axis labels are whole, apart and readable at ${width} px`, async ({ page }) => {
		await page.setViewportSize({ width, height: 844 });
		await logInAs(page, 'company@kopek.local');
		await openCounter(page);
		await page.goto('/company/clients');
		const chart = page.getByRole('figure');
		await expect(chart).toBeVisible();
		const { figure, labels } = await chart.evaluate((fig) => ({
			figure: fig.getBoundingClientRect().toJSON() as DOMRect,
			labels: Array.from(fig.querySelectorAll('.labels span')).map((span) => ({
				text: span.textContent ?? '',
				size: parseFloat(getComputedStyle(span).fontSize),
				// the text's own box, not its grid cell
				box: (() => {
					const range = document.createRange();
					range.selectNodeContents(span);
					return range.getBoundingClientRect().toJSON() as DOMRect;
				})()
			}))
		}));
		expect(labels.length).toBeGreaterThan(1);
		for (const [i, label] of labels.entries()) {
			expect(label.text).toMatch(/^\d{2}\.\d{2}$|^[а-я]/);
			expect(label.size).toBeGreaterThanOrEqual(12);
			expect(label.box.left).toBeGreaterThanOrEqual(figure.left - 0.5);
			expect(label.box.right).toBeLessThanOrEqual(figure.right + 0.5);
			const next = labels[i + 1];
			if (next) expect(label.box.right).toBeLessThan(next.box.left);
		}
	});
}

test('money reads the same in «Клиенты» as at the counter: two decimals and ₽', async ({
	page
}) => {
	await logInAs(page, 'company@kopek.local');
	await openCounter(page);
	await page.getByLabel('Введите QR код или ID клиента').fill('123455');
	await page.getByRole('button', { name: 'Продолжить' }).click();
	await page.getByLabel('Сумма счета, руб.:').fill('1 234,5');
	await expect(page.getByLabel('Cash Back, руб.:')).toHaveText('123,45');

	await page.goto('/company/clients');
	const amounts = page.locator('tbody td:nth-child(5)');
	await expect(amounts.first()).toBeVisible();
	for (const text of await amounts.allTextContents()) expect(text.trim()).toMatch(MONEY);
	for (const label of ['Сумма счетов', 'Кэшбэк']) {
		const figure = page.getByText(label, { exact: true }).locator('xpath=following-sibling::*[1]');
		expect((await figure.textContent())!.trim()).toMatch(MONEY);
	}
});

for (const viewport of [
	{ width: 390, height: 844 },
	{ width: 768, height: 1024 }
]) {
	test(`at ${viewport.width} px, with the list as cards, «Дата ▾» still opens the period picker`, async ({
		page
	}) => {
		await page.setViewportSize(viewport);
		await logInAs(page, 'company@kopek.local');
		await openCounter(page);
		await page.goto('/company/clients');
		const date = page.getByRole('button', { name: /Дата/ });
		await expect(date).toBeVisible();
		const box = (await date.boundingBox())!;
		expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(44);
		await date.click();
		await page.getByLabel('День').check();
		await page.getByRole('button', { name: 'Показать', exact: true }).click();
		await expect(page).toHaveURL(/period=day/);
	});
}
