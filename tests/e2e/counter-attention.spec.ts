import { expect, test } from '@playwright/test';
import { logInAs } from './support/auth';
import { openCounter, pay, readOutbox } from './support/counter';

// Each test registers its own terminal in a fresh browser profile.
test('a refused operation waits in "Требует внимания" until it is re-entered or dismissed', async ({
	page,
	context
}) => {
	await logInAs(page, 'company@kopek.local');
	await openCounter(page, 'Касса внимание');
	await context.setOffline(true);
	// Valid check digits, but no such customers: offline, only the server can tell.
	await pay(page, '111112', '500', { name: 'Клиент будет проверен при синхронизации' });
	await pay(page, '555557', '70');
	await context.setOffline(false);

	const attention = page.getByRole('region', { name: 'Требует внимания' });
	await expect(attention.getByRole('listitem')).toHaveCount(2);
	await expect(attention).toContainText('Клиент с таким ID не найден');
	const status = page.getByRole('region', { name: 'Синхронизация' });
	await expect(status).toContainText('Требуют внимания: 2');

	// A correction becomes a new operation, with the original amount, and goes out.
	const first = attention.getByRole('listitem').filter({ hasText: '111112' });
	await first.getByRole('textbox').fill('765438');
	await first.getByRole('button', { name: 'Провести заново' }).click();
	await expect(attention.getByRole('listitem')).toHaveCount(1);

	// Dismissing asks first, then the operation leaves the device.
	page.once('dialog', (dialog) => void dialog.accept());
	await attention
		.getByRole('listitem')
		.filter({ hasText: '555557' })
		.getByRole('button', { name: 'Убрать' })
		.click();
	await expect(attention).toBeHidden();
	await expect(status).toContainText('Все операции отправлены');
	expect(await readOutbox(page)).toEqual([]);

	await page.goto('/company/clients');
	await expect(
		page
			.getByRole('row')
			.filter({ hasText: '765438' })
			.filter({ hasText: /500,00\s₽/ })
	).toContainText('Петрова Мария');
});

test('a long drain shows its progress', async ({ page, context }) => {
	await logInAs(page, 'company@kopek.local');
	await openCounter(page, 'Касса очередь');
	await context.setOffline(true);
	await pay(page, '123455', '1');
	// 249 more queued in the device's outbox, as a long offline shift would leave them.
	const [template] = await readOutbox(page);
	await page.evaluate(
		async ({ template, count }) => {
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const open = indexedDB.open('kopek-counter');
				open.onsuccess = () => resolve(open.result);
				open.onerror = () => reject(open.error);
			});
			const tx = db.transaction('outbox', 'readwrite');
			const base = Date.parse(template.occurredAt);
			for (let i = 1; i <= count; i++) {
				const id =
					template.id.slice(0, 24) +
					(parseInt(template.id.slice(24), 16) + i).toString(16).padStart(12, '0');
				tx.objectStore('outbox').add({
					...template,
					id,
					occurredAt: new Date(base + i).toISOString()
				});
			}
			await new Promise((resolve) => (tx.oncomplete = resolve));
			db.close();
		},
		{ template: template!, count: 249 }
	);
	// Slow answers, so the progress can be seen between the batches.
	await page.route('**/api/trpc/*payments.sync*', async (route) => {
		await new Promise((r) => setTimeout(r, 1500));
		await route.continue();
	});
	await context.setOffline(false);
	await page.reload();
	const status = page.getByRole('region', { name: 'Синхронизация' });
	await expect(status).toContainText('синхронизировано 200 из 250');
	await expect(status).toContainText('Все операции отправлены', { timeout: 20_000 });
	expect(await readOutbox(page)).toEqual([]);
});
