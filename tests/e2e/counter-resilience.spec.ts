import { expect, test, type Page } from '@playwright/test';
import { logInAs } from './support/auth';
import { openCounter, pay, readOutbox, readSynced, resend } from './support/counter';

/** `server/testing/faults.ts`: with KOPEK_TEST_FAULTS=1 (the e2e runner) a batch carrying it fails. */
const FAULT_CUSTOMER_ID = '500500500500';

/** Adds an operation straight into the device's outbox, like a corrupted or old one. */
async function injectOperation(page: Page, operation: Record<string, unknown>) {
	await page.evaluate(async (op) => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const open = indexedDB.open('kopek-counter');
			open.onsuccess = () => resolve(open.result);
			open.onerror = () => reject(open.error);
		});
		const tx = db.transaction('outbox', 'readwrite');
		tx.objectStore('outbox').add(op);
		await new Promise((resolve) => (tx.oncomplete = resolve));
		db.close();
	}, operation);
}

/** The next UUID after `id` (same v7 prefix): sorts right after it in the outbox. */
function nextId(id: string, step = 1) {
	return id.slice(0, 24) + (parseInt(id.slice(24), 16) + step).toString(16).padStart(12, '0');
}

test('one poisoned operation never blocks the outbox: it waits for a person, the rest syncs', async ({
	page,
	context
}) => {
	await logInAs(page, 'company@kopek.local');
	await openCounter(page, 'Касса яд');
	await context.setOffline(true);
	await pay(page, '123455', '10');
	await pay(page, '765438', '20');
	const [first, second] = await readOutbox(page);
	// Between the two: an operation the server breaks on (500 for the whole batch).
	const poisoned = { ...first!, id: nextId(first!.id), customerId: FAULT_CUSTOMER_ID };
	await injectOperation(page, poisoned);
	await context.setOffline(false);
	await page.reload();

	const status = page.getByRole('region', { name: 'Синхронизация' });
	const attention = page.getByRole('region', { name: 'Требует внимания' });
	// Three failed batches in a row (1 s and 2 s backoff between), then the split finds it.
	await expect(attention.getByRole('listitem')).toHaveCount(1, { timeout: 30_000 });
	await expect(attention).toContainText('Сервер не смог обработать операцию');
	await expect(attention).toContainText(FAULT_CUSTOMER_ID);
	await expect(status).toContainText('Все операции отправлены');
	await expect(status).toContainText('Требуют внимания: 1');
	expect((await readOutbox(page)).map((op) => [op.id, op.status, op.reason])).toEqual([
		[poisoned.id, 'rejected', 'server_error']
	]);
	expect((await readSynced(page)).map((op) => op.id).sort()).toEqual(
		[first!.id, second!.id].sort()
	);
	// The server holds the two good ones exactly once.
	const answers = await resend(page, first!.deviceId, [first!, second!].map(wire));
	expect(answers.map((a) => a.outcome)).toEqual(['duplicate', 'duplicate']);

	// "Отправить снова" puts it back (same ID). Alone, it proves nothing against the server, so
	// it waits; the next payment shows the server works, and it is parked again.
	await attention.getByRole('button', { name: 'Отправить снова' }).click();
	await expect(status).toContainText('Ждут отправки: 1');
	await expect(attention).toBeHidden();
	await pay(page, '246801', '30');
	await expect(attention.getByRole('listitem')).toHaveCount(1, { timeout: 30_000 });
	await expect(status).toContainText('Все операции отправлены');
	expect((await readOutbox(page)).map((op) => [op.id, op.status])).toEqual([
		[poisoned.id, 'rejected']
	]);
});

test('an operation the server refuses as malformed (a NUL in its customer ID) is parked at once', async ({
	page,
	context
}) => {
	await logInAs(page, 'company@kopek.local');
	await openCounter(page, 'Касса NUL');
	await context.setOffline(true);
	await pay(page, '123455', '11');
	const [good] = await readOutbox(page);
	const corrupted = { ...good!, id: nextId(good!.id), customerId: '12345\u0000' };
	await injectOperation(page, corrupted);
	await context.setOffline(false);
	await page.reload();

	const attention = page.getByRole('region', { name: 'Требует внимания' });
	await expect(attention.getByRole('listitem')).toHaveCount(1);
	await expect(attention).toContainText('Сервер не смог прочитать операцию');
	await expect(page.getByRole('region', { name: 'Синхронизация' })).toContainText(
		'Все операции отправлены'
	);
	expect((await readOutbox(page)).map((op) => [op.id, op.reason])).toEqual([
		[corrupted.id, 'malformed']
	]);
	expect((await readSynced(page)).map((op) => op.id)).toEqual([good!.id]);
});

test('a malformed operation alone in the outbox is parked too: the last synced one shows the server reads', async ({
	page
}) => {
	await logInAs(page, 'company@kopek.local');
	await openCounter(page, 'Касса NUL одна');
	await pay(page, '123455', '12');
	const status = page.getByRole('region', { name: 'Синхронизация' });
	await expect(status).toContainText('Все операции отправлены');
	const [good] = await readSynced(page);

	// Written behind the page's back, it is sent by the drain the reload starts: alone.
	const corrupted = {
		id: nextId(good!.id),
		deviceId: good!.deviceId,
		companyId: good!.companyId,
		customerId: '12345\u0000',
		customerName: null,
		amountKopecks: 1200,
		occurredAt: good!.occurredAt,
		provisionalCashbackKopecks: 120,
		rateBp: good!.rateBp,
		status: 'waiting',
		attempts: 0
	};
	await injectOperation(page, corrupted);
	await page.reload();

	const attention = page.getByRole('region', { name: 'Требует внимания' });
	await expect(attention.getByRole('listitem')).toHaveCount(1);
	await expect(attention).toContainText('Сервер не смог прочитать операцию');
	await expect(status).toContainText('Все операции отправлены');
	expect((await readOutbox(page)).map((op) => [op.id, op.reason])).toEqual([
		[corrupted.id, 'malformed']
	]);
	expect((await readSynced(page)).map((op) => op.id)).toEqual([good!.id]);
});

function wire(op: { id: string; customerId: string; amountKopecks: number; occurredAt: string }) {
	return {
		id: op.id,
		customerId: op.customerId,
		amountKopecks: op.amountKopecks,
		occurredAt: op.occurredAt
	};
}

test('a 503 with Retry-After: "сервер временно недоступен", the wait honoured, nothing lost', async ({
	page,
	context
}) => {
	await logInAs(page, 'company@kopek.local');
	await openCounter(page, 'Касса 503');
	const calls: number[] = [];
	let unavailable = true;
	await context.route('**/api/trpc/payments.sync*', async (route) => {
		// The page's own retries (Background Sync in the service worker follows the browser's).
		if (!route.request().serviceWorker()) calls.push(Date.now());
		if (!unavailable) return route.continue();
		await route.fulfill({
			status: 503,
			contentType: 'application/json',
			headers: { 'retry-after': '4' },
			body: JSON.stringify({
				error: {
					json: {
						message: 'Сервис временно недоступен',
						code: -32603,
						data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503 }
					}
				}
			})
		});
	});
	await pay(page, '123455', '15');
	const status = page.getByRole('region', { name: 'Синхронизация' });
	await expect(status).toContainText('Сервер временно недоступен');
	await expect(status).toContainText('Ждут отправки: 1');
	await expect.poll(() => calls.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
	// The first retry waited for Retry-After (4 s), not the 1 s backoff.
	expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(3900);
	const [waiting] = await readOutbox(page);
	expect(waiting).toMatchObject({ status: 'waiting', customerId: '123455' });

	unavailable = false;
	await expect(status).toContainText('Все операции отправлены', { timeout: 20_000 });
	await expect(status).toContainText('В сети');
	expect((await readSynced(page)).map((op) => op.id)).toEqual([waiting!.id]);
});

for (const [label, skewMs, warning] of [
	['3 hours behind', -3 * 3600_000, 'Часы устройства отстают от времени сервера на 3 ч 0 мин'],
	['10 minutes ahead', 10 * 60_000, 'Часы устройства спешат относительно времени сервера на 10 мин']
] as const) {
	test(`a device clock ${label}: a warning, and each payment stored once at the server's time`, async ({
		page,
		context
	}) => {
		await page.clock.install({ time: new Date(Date.now() + skewMs) });
		await logInAs(page, 'company@kopek.local');
		await openCounter(page, `Касса часы ${skewMs > 0 ? '+' : '-'}`);
		await expect(page.getByRole('alert').filter({ hasText: warning })).toBeVisible();

		await pay(page, '123455', '100');
		// Offline too: the correction learned online goes on.
		await context.setOffline(true);
		await pay(page, '765438', '200');
		await context.setOffline(false);
		const status = page.getByRole('region', { name: 'Синхронизация' });
		await expect(status).toContainText('Все операции отправлены', { timeout: 20_000 });
		expect(await readOutbox(page)).toEqual([]);

		const synced = (await readSynced(page)) as unknown as {
			id: string;
			deviceId: string;
			customerId: string;
			amountKopecks: number;
			occurredAt: string;
			deviceOccurredAt: string;
		}[];
		expect(synced).toHaveLength(2);
		for (const op of synced) {
			// The server's time (the test runs in seconds), the device's own kept beside it.
			expect(Math.abs(Date.parse(op.occurredAt) - Date.now())).toBeLessThan(60_000);
			expect(
				Math.abs(Date.parse(op.deviceOccurredAt) - Date.parse(op.occurredAt) - skewMs)
			).toBeLessThan(2_000);
		}
		// Stored once, with exactly that time: a resend is a duplicate, not a new operation.
		const answers = await resend(page, synced[0]!.deviceId, synced.map(wire));
		expect(answers.map((a) => a.outcome)).toEqual(['duplicate', 'duplicate']);
	});
}

test('a payment the device cannot store is refused at once, never shown as done', async ({
	page
}) => {
	await logInAs(page, 'company@kopek.local');
	await openCounter(page, 'Касса память');
	// The browser says whether it keeps the counter's data for good.
	await expect(
		page
			.getByText('Браузер не удалит данные кассы при нехватке места.')
			.or(page.getByText('Браузер может удалить данные кассы при нехватке места'))
	).toBeVisible();

	// The browser refuses the write as it does when the storage is full.
	await page.evaluate(() => {
		const add = IDBObjectStore.prototype.add;
		IDBObjectStore.prototype.add = function (...args: Parameters<typeof add>) {
			if ((globalThis as { quotaFull?: boolean }).quotaFull && this.name === 'outbox')
				throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
			return add.apply(this, args);
		};
		(globalThis as { quotaFull?: boolean }).quotaFull = true;
	});

	await page.getByLabel('Введите QR код или ID клиента').fill('123455');
	await page.getByRole('button', { name: 'Продолжить' }).click();
	await page.getByLabel('Сумма счета, руб.:').fill('1000');
	await page.getByRole('button', { name: 'Провести оплату' }).click();
	await expect(page.getByRole('alert')).toContainText(
		'Оплата не проведена: память устройства заполнена'
	);
	await expect(page.getByRole('heading', { name: 'Операция прошла успешно' })).toBeHidden();
	await expect(page.getByLabel('Сумма счета, руб.:')).toBeVisible();
	expect(await readOutbox(page)).toEqual([]);

	// Space again: the same payment goes through.
	await page.evaluate(() => ((globalThis as { quotaFull?: boolean }).quotaFull = false));
	await page.getByRole('button', { name: 'Провести оплату' }).click();
	await expect(page.getByRole('heading', { name: 'Операция прошла успешно' })).toBeVisible();
});

test('customer lookups refused for too many: the cashier is told and keeps working', async ({
	page
}) => {
	await logInAs(page, 'company@kopek.local');
	await openCounter(page, 'Касса лимит');
	let lookups = 0;
	await page.route('**/api/trpc/*customers.lookup*', async (route) => {
		lookups++;
		await route.fulfill({
			status: 429,
			contentType: 'application/json',
			headers: { 'retry-after': '60' },
			body: JSON.stringify([
				{
					error: {
						json: {
							message: 'Слишком много проверок клиентов: попробуйте через минуту',
							code: -32029,
							data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429 }
						}
					}
				}
			])
		});
	});
	// Not among the company's recent customers, so the server would be asked.
	await page.getByLabel('Введите QR код или ID клиента').fill('111112');
	await page.getByRole('button', { name: 'Продолжить' }).click();
	await expect(
		page.getByRole('status').filter({ hasText: 'Слишком много проверок клиентов' })
	).toBeVisible();
	await page.getByLabel('Сумма счета, руб.:').fill('50');
	await page.getByRole('button', { name: 'Провести оплату' }).click();
	await expect(page.getByRole('heading', { name: 'Операция прошла успешно' })).toBeVisible();
	await page.getByRole('button', { name: 'Продолжить' }).click();
	// Refused once: the next customer is not asked about until Retry-After has passed.
	await page.getByLabel('Введите QR код или ID клиента').fill('555557');
	await page.getByRole('button', { name: 'Продолжить' }).click();
	await expect(
		page.getByRole('status').filter({ hasText: 'Слишком много проверок клиентов' })
	).toBeVisible();
	await page.getByLabel('Сумма счета, руб.:').fill('10');
	await page.getByRole('button', { name: 'Провести оплату' }).click();
	await expect(page.getByRole('heading', { name: 'Операция прошла успешно' })).toBeVisible();
	expect(lookups).toBe(1);
});
