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
	const answers = await resend(page, first!.deviceId, [first!, second!]);
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
