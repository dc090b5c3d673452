import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { waitForServiceWorker } from './counter';

/**
 * Pairs a new terminal as a shop does: the signed-in admin (`admin`) sets the idle lock and
 * gets a pairing code at «Кассы»; a fresh, signed-out browser context opens /pair with it.
 * `beforePairing` runs on the tablet's page before its first load (page.clock, listeners).
 */
export async function pairTerminal(
	admin: Page,
	browser: Browser,
	options: {
		baseURL: string | undefined;
		name: string;
		idleSeconds?: number;
		beforePairing?: (tablet: Page) => Promise<void>;
	}
): Promise<{ tablet: BrowserContext; t: Page }> {
	await admin.goto('/company/terminals');
	if (options.idleSeconds !== undefined) {
		const idle = admin.getByRole('region', { name: 'Блокировка кассы' });
		await idle
			.getByLabel('Запрашивать PIN-код после бездействия, секунд')
			.fill(String(options.idleSeconds));
		await idle.getByRole('button', { name: 'Сохранить' }).click();
		await expect(idle).toContainText('Сохранено');
	}
	await admin.getByLabel('Название кассы').fill(options.name);
	await admin.getByRole('button', { name: 'Получить код подключения' }).click();
	const code = (await admin.getByTestId('pairing-code').textContent())?.trim() ?? '';

	const tablet = await browser.newContext({
		baseURL: options.baseURL,
		locale: 'ru-RU',
		timezoneId: 'Europe/Moscow'
	});
	const t = await tablet.newPage();
	await options.beforePairing?.(t);
	await t.goto('/pair');
	await t.getByLabel('Код подключения').fill(code);
	await t.getByRole('button', { name: 'Подключить кассу' }).click();
	await expect(t).toHaveURL(/\/company\/pay$/);
	await waitForServiceWorker(t);
	return { tablet, t };
}

/** A cashier opens the shift with the PIN (the demo company's Анна, 1111). */
export async function openShift(t: Page, cashier = 'Анна', pin = '1111') {
	await expect(t.getByRole('heading', { name: 'Открытие смены' })).toBeVisible();
	await t.getByLabel('Кассир').selectOption({ label: cashier });
	await t.getByLabel('PIN-код').fill(pin);
	await t.getByRole('button', { name: 'Открыть смену' }).click();
	await expect(t.getByText(new RegExp(`Кассир: ${cashier} · смена с`))).toBeVisible();
}
