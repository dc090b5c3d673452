import { expect, test } from '@playwright/test';
import { logInAs } from './support/auth';
import { openCounter, pay } from './support/counter';

/*
 * Issue 20 (SPEC C13): the admin creates an integration key in «Интеграции» — its secret shown
 * once — and the till API answers it until it is revoked; a partial refund is taken at the
 * counter's «Клиенты» and shows there.
 */

test('a key is created in «Интеграции», its secret shown once, used by the API, revoked', async ({
	page
}) => {
	await logInAs(page, 'company@kopek.local');
	await page.goto('/company');
	await page.getByRole('link', { name: 'Интеграции' }).click();
	await expect(page.getByRole('heading', { name: 'Интеграции', level: 1 })).toBeVisible();
	const name = `Эвотор e2e ${Date.now()}`;
	await page.getByLabel('Название ключа').fill(name);
	await page.getByRole('button', { name: 'Создать ключ' }).click();
	const secretBox = page.getByTestId('integration-secret');
	await expect(secretBox).toBeVisible();
	const secret = (await secretBox.innerText()).trim();
	expect(secret).toMatch(/^kpk_[A-Za-z0-9_-]{43}$/);

	// The key answers the API; a cabinet session alone does not.
	const ok = await page.request.get('/api/v1/customers/123455', {
		headers: { authorization: `Bearer ${secret}` }
	});
	expect(ok.status()).toBe(200);
	expect(await ok.json()).toMatchObject({ customerId: '123455', balanceKopecks: null });
	const cookieOnly = await page.request.get('/api/v1/customers/123455');
	expect(cookieOnly.status()).toBe(401);
	expect(cookieOnly.headers()['content-type']).toContain('application/problem+json');

	// Shown once: the list has its prefix and last use, never the secret.
	await page.goto('/company/integrations');
	await expect(page.getByTestId('integration-secret')).toHaveCount(0);
	const row = page.getByTestId('integration-key').filter({ hasText: name });
	await expect(row).toContainText(secret.slice(0, 10));
	await expect(page.locator('body')).not.toContainText(secret);
	await expect(row).not.toContainText('не использовался');

	// The reference for till developers, from the same OpenAPI document.
	await page.getByRole('link', { name: 'Справочник API для разработчиков касс' }).click();
	await expect(page.getByRole('heading', { name: 'Kopek till API', level: 1 })).toBeVisible();
	await expect(
		page.getByRole('heading', { name: 'POST /api/v1/sales/{saleId}/refunds' })
	).toBeVisible();
	await expect(page.locator('#problem-idempotency_key_reused')).toContainText(
		'уже использован для другого запроса'
	);
	await page.goto('/company/integrations');

	page.once('dialog', (dialog) => dialog.accept());
	await row.getByRole('button', { name: 'Отозвать' }).click();
	await expect(page.getByTestId('integration-key').filter({ hasText: name })).toContainText(
		'отозван'
	);
	const revoked = await page.request.get('/api/v1/customers/123455', {
		headers: { authorization: `Bearer ${secret}` }
	});
	expect(revoked.status()).toBe(401);
});

test('a partial refund at the counter shows in «Клиенты», the rest stays refundable', async ({
	page
}) => {
	await logInAs(page, 'company@kopek.local');
	await openCounter(page, 'Касса частичный возврат');
	await pay(page, '765438', '1000');
	await page.goto('/company/clients');
	const rows = page.locator('tbody tr');
	await expect(rows.first()).toContainText('Петрова Мария');
	await rows.first().getByRole('button', { name: 'Вернуть' }).click();
	await page.getByLabel('Причина возврата').fill('Вернули один товар');
	await page.getByLabel(/Сумма возврата/).fill('300');
	await page.getByRole('button', { name: 'Оформить возврат' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Возврат оформлен' })).toContainText(
		/300,00\s₽/
	);
	await expect(rows.first()).toContainText('Возврат');
	await expect(rows.first()).toContainText(/-300,00\s₽/);
	await expect(rows.nth(1)).toContainText(/возвращено 300,00\s₽/);
	await expect(rows.nth(1).getByRole('button', { name: 'Вернуть' })).toBeVisible();
});
