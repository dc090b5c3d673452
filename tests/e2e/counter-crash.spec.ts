import { expect, test } from '@playwright/test';
import { logInAs } from './support/auth';
import { openCounter, pay, readOutbox, resend } from './support/counter';
import { e2eSql } from './support/db';

// The page's own sync loop is the one cut off here; the service worker (which would drain
// the same outbox in the background) is kept out so the cut happens where the test says.
test.use({ serviceWorkers: 'block' });

test('closing the page in the middle of a sync loses and doubles nothing', async ({
	page,
	context
}) => {
	await logInAs(page, 'company@kopek.local');
	await openCounter(page, 'Касса обрыв');
	await context.setOffline(true);
	const payments = [
		['123455', '10'],
		['765438', '20,20'],
		['246801', '30,03'],
		['123455', '40'],
		['765438', '0,05']
	] as const;
	for (const [customerId, amount] of payments) await pay(page, customerId, amount);
	const queued = await readOutbox(page);
	expect(queued).toHaveLength(5);

	// The server receives and stores the batch, but its answer never reaches the page.
	let stored!: () => void;
	const serverStored = new Promise<void>((resolve) => (stored = resolve));
	await page.route('**/api/trpc/*payments.sync*', async (route) => {
		const response = await route.fetch();
		expect(response.status()).toBe(200);
		stored();
		// never fulfilled: the page is closed while it waits
	});
	await context.setOffline(false);
	await serverStored;
	expect((await readOutbox(page)).map((op) => op.status)).toEqual(Array(5).fill('waiting'));
	await page.close();

	// Opened again, the device sends them again; the server answers duplicates.
	const again = await context.newPage();
	await again.goto('/company/pay');
	await expect(again.getByRole('region', { name: 'Синхронизация' })).toContainText(
		'Все операции отправлены'
	);
	expect(await readOutbox(again)).toEqual([]);
	const answers = await resend(again, queued[0]!.deviceId, queued);
	expect(answers.map((a) => a.outcome)).toEqual(Array(5).fill('duplicate'));

	const sql = e2eSql();
	if (sql) {
		try {
			const ids = queued.map((op) => op.id);
			const [row] = await sql`select count(*)::int as n from operations where id = any(${ids})`;
			expect(row?.n).toBe(5);
		} finally {
			await sql.end();
		}
	}
});
