import { expect, test, type Browser } from '@playwright/test';
import { logInAs } from './support/auth';
import { openCounter, pay } from './support/counter';

/*
 * Issue 18: a velocity breach at the counter (more than 5 payments of one customer within an
 * hour) is stored, but its cashback is held: «на проверке» on the counter's list and in
 * «Подозрительные операции»; the operator cancels it and the customer's balance never moves.
 */

const CUSTOMER = '123455'; // Иванов Иван, customer@kopek.local

/** The customer's balance as their own card shows it, in kopecks. */
async function customerBalance(browser: Browser): Promise<number> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await logInAs(page, 'customer@kopek.local');
	await page.goto('/me');
	const text = await page.locator('section.balance').innerText();
	await context.close();
	const digits = text.replace(/[^\d,]/g, '').replace(',', '.');
	return Math.round(Number(digits) * 100);
}

test('a velocity breach is held, listed, cancelled by the operator; the balance never moves', async ({
	page,
	browser
}) => {
	const before = await customerBalance(browser);
	await logInAs(page, 'company@kopek.local');
	await openCounter(page, 'Касса проверка');
	for (let i = 0; i < 6; i++) await pay(page, CUSTOMER, '1000');
	await expect(page.getByRole('region', { name: 'Синхронизация' })).toContainText(
		'Все операции отправлены'
	);

	// The counter's list: the payment is there, its cashback «на проверке».
	await page.goto('/company/clients');
	const heldRows = page
		.getByRole('row')
		.filter({ hasText: CUSTOMER })
		.filter({ hasText: 'на проверке' });
	await expect(heldRows.first()).toBeVisible();
	const held = await heldRows.count();
	expect(held).toBeGreaterThanOrEqual(1);

	// The company's own queue lists it too.
	await page.goto('/company/suspicious');
	await expect(page.getByRole('heading', { name: 'Подозрительные операции' })).toBeVisible();
	await expect(
		page.getByRole('row').filter({ hasText: 'Больше 5 оплат клиента в компании за час' })
	).toHaveCount(held);

	// Only the payments not held were credited.
	const afterBreach = await customerBalance(browser);
	expect(afterBreach - before).toBe((6 - held) * 100_00);

	// The operator cancels every held one from «Подозрительные операции».
	const operator = await browser.newContext();
	const op = await operator.newPage();
	await logInAs(op, 'operator@kopek.local');
	await op.goto('/operator/suspicious');
	const rows = op.getByRole('row').filter({ hasText: CUSTOMER });
	await expect(rows).toHaveCount(held);
	for (let i = 0; i < held; i++) {
		await rows
			.first()
			.getByRole('button', { name: /^Отменить/ })
			.click();
		await expect(op.getByRole('status')).toContainText('Кэшбэк отменён.');
		await expect(rows).toHaveCount(held - i - 1);
	}
	await op.goto('/operator/suspicious?all=1');
	await expect(
		op.getByRole('row').filter({ hasText: CUSTOMER }).filter({ hasText: 'отменено' })
	).toHaveCount(held);
	await operator.close();

	// The customer's balance never moved: nothing held reached it.
	expect(await customerBalance(browser)).toBe(afterBreach);
	await page.goto('/company/clients');
	await expect(
		page.getByRole('row').filter({ hasText: CUSTOMER }).filter({ hasText: 'отменено' })
	).toHaveCount(held);
});
