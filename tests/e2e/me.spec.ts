import { expect, test } from '@playwright/test';
import QRCode from 'qrcode';
import { isValidCustomerId } from '../../src/lib/domain/customer-id';
import { logInAs } from './support/auth';
import { e2eSql } from './support/db';

/** The path the card's QR code must draw for `text` (same generator, 4-module quiet zone). */
function qrPath(text: string): string {
	const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
	let path = '';
	for (let row = 0; row < modules.size; row++) {
		for (let col = 0; col < modules.size; col++) {
			if (modules.get(row, col)) path += `M${col + 4} ${row + 4}h1v1h-1z`;
		}
	}
	return path;
}

/** A mobile number no other run of this spec is likely to have taken. */
function freshPhone(): string {
	const n = String(Date.now() % 10_000_000).padStart(7, '0');
	return `977-${n.slice(0, 3)}-${n.slice(3)}`;
}

test('a customer signs up and sees the card with its QR code and a zero balance', async ({
	page,
	context
}) => {
	const phone = freshPhone();
	const email = `anna-${Date.now()}@example.test`;
	await page.goto('/login');
	await page.getByRole('link', { name: 'Получить карту клиента' }).click();
	await expect(page.getByRole('heading', { name: 'Карта клиента Kopek' })).toBeVisible();

	await page.getByLabel('Имя и фамилия').fill('Смирнова Анна');
	await page.getByLabel('Телефон').fill(phone);
	await page.getByLabel('E-mail (логин)').fill(email);
	await page.getByLabel('Пароль', { exact: true }).fill('мой пароль для кэшбэка');
	await page.getByLabel('Повторите пароль').fill('мой пароль для кэшбэка');
	await page.getByRole('checkbox', { name: /согласие на обработку/ }).check();
	await page.getByRole('button', { name: 'Получить карту' }).click();

	await expect(page).toHaveURL(/\/me$/);
	await expect(page.getByRole('heading', { name: 'Моя карта' })).toBeVisible();
	const card = page.getByRole('region', { name: 'Ваш ID клиента' });
	// The QR carries the ID and the current one-time code, both made on the phone.
	const qr = card.getByRole('img', { name: /^QR код для оплаты кэшбэком: карта \d+, код \d{6}$/ });
	await expect(qr).toBeVisible();
	const drawn = await qr.evaluate((svg) => ({
		label: svg.getAttribute('aria-label') ?? '',
		path: svg.querySelector('path')?.getAttribute('d') ?? ''
	}));
	const [, id = '', code = ''] = /карта (\d+), код (\d{6})$/.exec(drawn.label) ?? [];
	expect(id).toMatch(/^\d{6}$/);
	expect(isValidCustomerId(id)).toBe(true);
	await expect(card.getByText(id, { exact: true })).toBeVisible();
	expect(drawn.path).toBe(qrPath(`KOPEK1:${id}:${code}`));

	await expect(page.getByRole('region', { name: 'Кэшбэк на счёте' }).getByText(/₽/)).toHaveText(
		/^0,00\s₽$/
	);
	await expect(page.getByText('Покупок пока нет')).toBeVisible();

	// The card is kept on the device, and going offline keeps it on screen.
	const saved = await page.evaluate(() => localStorage.getItem('kopek.me.card.v1'));
	expect(JSON.parse(saved ?? '{}')).toMatchObject({ customer: { id, name: 'Смирнова Анна' } });
	await context.setOffline(true);
	await expect(page.getByText(/Нет связи: показаны данные на/)).toBeVisible();
	await expect(qr).toBeVisible();
	await context.setOffline(false);

	const sql = e2eSql();
	if (sql) {
		try {
			const rows = await sql`
				select c.id, c.phone, u.role from customers c join users u on u.customer_id = c.id
				where u.email = ${email}`;
			expect(rows).toEqual([{ id, phone: `+7${phone.replace(/-/g, '')}`, role: 'customer' }]);
		} finally {
			await sql.end();
		}
	}
});

test('a phone that already has a card is refused clearly', async ({ page }) => {
	await page.goto('/signup');
	await page.getByLabel('Имя и фамилия').fill('Иванов Иван');
	// The demo customer 123455 has +79111111111.
	await page.getByLabel('Телефон').fill('+7 (911) 111-11-11');
	await page.getByLabel('E-mail (логин)').fill(`ivanov-${Date.now()}@example.test`);
	await page.getByLabel('Пароль', { exact: true }).fill('другой пароль 2026');
	await page.getByLabel('Повторите пароль').fill('другой пароль 2026');
	await page.getByRole('checkbox', { name: /согласие на обработку/ }).check();
	await page.getByRole('button', { name: 'Получить карту' }).click();
	await expect(
		page.getByText('Этот номер телефона уже зарегистрирован.', { exact: false })
	).toBeVisible();
	await expect(page).toHaveURL(/\/signup$/);
});

test('the demo customer sees a non-zero balance and the history', async ({ page }) => {
	await logInAs(page, 'customer@kopek.local');
	await expect(page).toHaveURL(/\/me$/);
	const card = page.getByRole('region', { name: 'Ваш ID клиента' });
	await expect(card.getByText('123455', { exact: true })).toBeVisible();
	await expect(
		card.getByRole('img', { name: /^QR код для оплаты кэшбэком: карта 123455, код \d{6}$/ })
	).toBeVisible();
	const balance =
		(await page.getByRole('region', { name: 'Кэшбэк на счёте' }).getByText(/₽/).textContent()) ??
		'';
	const kopecks = Number(balance.replace(/[^\d]/g, ''));
	expect(kopecks).toBeGreaterThan(0);
	await expect(page.getByRole('row', { name: /Albixe/ }).first()).toBeVisible();

	const sql = e2eSql();
	if (sql) {
		try {
			const [row] = await sql`
				select (coalesce(sum(cashback_kopecks), 0) - coalesce(sum(redeemed_kopecks), 0))::int
					as total from operations
				where customer_id = '123455'`;
			expect(kopecks).toBe(row!.total);
		} finally {
			await sql.end();
		}
	}
});
