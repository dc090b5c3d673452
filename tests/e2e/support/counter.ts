import { expect, type Page } from '@playwright/test';
import type { SyncBatch } from '../../../src/lib/offline/engine';

/** The terminal name the first visit asks for; registers it when asked. */
export async function openCounter(page: Page, terminalName = 'Касса e2e') {
	await page.goto('/company/pay');
	const nameField = page.getByLabel('Название кассы');
	const idField = page.getByLabel('Введите QR код или ID клиента');
	await expect(nameField.or(idField)).toBeVisible();
	if (await nameField.isVisible()) {
		await nameField.fill(terminalName);
		await page.getByRole('button', { name: 'Зарегистрировать кассу' }).click();
	}
	await expect(idField).toBeVisible();
}

/** Waits until the service worker is active and controls this page (offline works then). */
export async function waitForServiceWorker(page: Page) {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
		if (!navigator.serviceWorker.controller) {
			await new Promise((resolve) =>
				navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })
			);
		}
	});
}

/** Takes one payment through the three steps, as a cashier would with the keyboard and mouse. */
export async function pay(
	page: Page,
	customerId: string,
	amount: string,
	expect3: { name?: string | RegExp; sum?: string } = {}
) {
	await page.getByLabel('Введите QR код или ID клиента').fill(customerId);
	await page.getByRole('button', { name: 'Продолжить' }).click();
	const amountField = page.getByLabel('Сумма счета, руб.:');
	await expect(amountField).toBeVisible();
	if (expect3.name) await expect(page.getByText(expect3.name)).toBeVisible();
	await amountField.fill(amount);
	await page.getByRole('button', { name: 'Провести оплату' }).click();
	await expect(page.getByRole('heading', { name: 'Операция прошла успешно' })).toBeVisible();
	if (expect3.sum) await expect(page.getByText(expect3.sum, { exact: true })).toBeVisible();
	await page.getByRole('button', { name: 'Продолжить' }).click();
	await expect(page.getByLabel('Введите QR код или ID клиента')).toBeVisible();
}

export interface StoredOutboxOperation {
	id: string;
	deviceId: string;
	occurredAt: string;
	customerId: string;
	amountKopecks: number;
	status: string;
	reason?: string;
}

/** The device's outbox, read straight from IndexedDB. */
export function readOutbox(page: Page): Promise<StoredOutboxOperation[]> {
	return readStore(page, 'outbox') as Promise<StoredOutboxOperation[]>;
}

/** Operations the server acknowledged, with its figures, read straight from IndexedDB. */
export function readSynced(page: Page) {
	return readStore(page, 'synced') as Promise<
		{
			id: string;
			deviceId: string;
			companyId: number;
			customerId: string;
			amountKopecks: number;
			occurredAt: string;
			rateBp: number;
			cashbackKopecks: number;
		}[]
	>;
}

function readStore(page: Page, store: string): Promise<unknown[]> {
	return page.evaluate(
		(name) =>
			new Promise<unknown[]>((resolve, reject) => {
				const open = indexedDB.open('kopek-counter');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const request = db.transaction(name).objectStore(name).getAll();
					request.onsuccess = () => {
						resolve(request.result);
						db.close();
					};
					request.onerror = () => reject(request.error);
				};
			}),
		store
	);
}

/**
 * Sends operations again through the real endpoint, as the counter sends them (only the
 * fields that travel); the server's answers tell what it holds.
 */
export async function resend(page: Page, deviceId: string, stored: SyncBatch['operations']) {
	const operations = stored.map(({ id, customerId, amountKopecks, occurredAt, ...rest }) => ({
		id,
		customerId,
		amountKopecks,
		occurredAt,
		...(rest.cashierId ? { cashierId: rest.cashierId, shiftId: rest.shiftId } : {})
	}));
	return page.evaluate(
		async ({ deviceId, operations }) => {
			const response = await fetch('/api/trpc/payments.sync', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ json: { deviceId, operations } })
			});
			const body = await response.json();
			return body.result.data.json as { id: string; outcome: string }[];
		},
		{ deviceId, operations }
	);
}
