import { expect, test, type Page } from '@playwright/test';
import { logInAs } from './auth';
import { openResetLink } from './mail';

/**
 * Every page of every role, for the layout and accessibility walk (tests/e2e/pages.spec.ts).
 * Add a page here when you add one: a fixed path, or `from` + `link` for a page reached
 * through a link on another page (its id is whatever the demo data holds).
 */
export interface WalkPage {
	/** A fixed path, e.g. '/company/clients'. */
	path?: string;
	/** Or: the page that links to it, and a pattern the link's href matches. */
	from?: string;
	link?: RegExp;
	/** …and the link's text, when the first matching link is not the page wanted. */
	linkText?: string;
	/** Something that shows the page is ready (a heading name or a label). */
	ready?: string | RegExp;
	/** What a user does on the page before it is checked, e.g. the counter's step 2. */
	act?: (page: Page) => Promise<void>;
	/** The name the walk reports the page (or the state `act` leaves it in) under. */
	as?: string;
	/**
	 * A field typed in on a phone and the action that follows it: with the on-screen keyboard
	 * up (the phone's height less KEYBOARD_PX), both stay on the visible part of the screen.
	 */
	keyboard?: { field: string; action: string };
}

export interface WalkRole {
	name: string;
	/** Demo account that sees these pages; none for the public pages. */
	email?: string;
	/** Registers a terminal first (the counter pages ask for one on a new device). */
	counter?: boolean;
	/** Anything else the role needs first, e.g. pairing a terminal. */
	setup?: (page: Page) => Promise<void>;
	pages: WalkPage[];
}

export const WALK: WalkRole[] = [
	{
		name: 'public',
		pages: [
			{ path: '/login' },
			{ path: '/login/forgot' },
			{
				path: '/login/forgot',
				as: '/login/forgot, link sent',
				act: async (page) => {
					await page.getByLabel('E-mail').fill('partner@kopek.local');
					await page.getByRole('button', { name: 'Отправить ссылку' }).click();
					await expect(page.getByText(/мы отправили на него ссылку/)).toBeVisible();
				}
			},
			// Asking for a link changes no password: the demo accounts keep theirs.
			{
				path: '/login/forgot',
				as: '/login/reset, new password',
				act: (page) => openResetLink(page, 'operator@kopek.local').then(() => {})
			},
			{ path: '/login/reset?token=expired', ready: 'Ссылка недействительна' },
			{ path: '/register' },
			{ path: '/signup' },
			{ path: '/legal/terms' },
			{ path: '/legal/privacy' },
			{ path: '/legal/connection' },
			{ path: '/pair' },
			{ path: '/account-deleted' }
		]
	},
	{
		name: 'operator',
		email: 'operator@kopek.local',
		pages: [
			{ path: '/operator' },
			{ path: '/operator/review' },
			{ path: '/operator/suspicious' },
			{ path: '/operator/companies' },
			{ from: '/operator/companies', link: /^\/operator\/companies\/\d+$/ },
			// the active company: its rate and redemption-limit histories have rows
			{
				from: '/operator/companies',
				link: /^\/operator\/companies\/\d+$/,
				linkText: 'Albixe',
				as: '/operator/companies/<active company>'
			},
			{ from: '/operator/review', link: /^\/operator\/companies\/\d+$/ },
			{ path: '/operator/partners' },
			{ from: '/operator/partners', link: /^\/operator\/partners\/\d+$/ },
			{ path: '/operator/statements' },
			{ from: '/operator/statements', link: /^\/operator\/statements\/\d+\?month=/ },
			{ path: '/operator/customers' },
			{ path: '/operator/customers?q=customer%40kopek.local', ready: 'Иванов Иван' }
		]
	},
	{
		name: 'partner',
		email: 'partner@kopek.local',
		pages: [
			{ path: '/partner' },
			{ path: '/partner/register' },
			{ from: '/partner', link: /^\/partner\/companies\/\d+$/ }
		]
	},
	// Before the company: its «Кассы» page then always lists a paired terminal (and «Отключить»).
	{
		name: 'paired terminal',
		setup: pairTerminal,
		pages: [
			{ path: '/company/pay', as: '/company/pay, shift opening', ready: 'Открытие смены' },
			{ path: '/company/pay', as: '/company/pay, shift open', act: openShift },
			{ path: '/company/clients' },
			{ path: '/company/shift' }
		]
	},
	{
		name: 'company',
		email: 'company@kopek.local',
		counter: true,
		pages: [
			{ path: '/company' },
			{ path: '/company/pay', ready: 'Введите QR код или ID клиента' },
			{
				path: '/company/pay',
				as: '/company/pay, step 2',
				ready: 'Введите QR код или ID клиента',
				act: counterStep2,
				keyboard: { field: 'Сумма счета, руб.:', action: 'Провести оплату' }
			},
			{
				path: '/company/pay',
				as: '/company/pay, step 2 paying with cashback',
				ready: 'Введите QR код или ID клиента',
				act: counterStep2WithCashback
			},
			{ path: '/company/clients', ready: 'Сумма счетов' },
			{ path: '/company/profile' },
			{ path: '/company/terminals' },
			{
				path: '/company/terminals',
				as: '/company/terminals with a pairing code',
				act: showPairingCode
			},
			{ path: '/company/shifts' },
			{ path: '/company/suspicious' },
			{ path: '/company/statements' },
			{ from: '/company/statements', link: /^\/company\/statements\?month=/ }
		]
	},
	{
		name: 'pending company',
		email: 'pending@kopek.local',
		pages: [{ path: '/company' }, { path: '/company/profile' }]
	},
	{
		name: 'customer',
		email: 'customer@kopek.local',
		pages: [{ path: '/me' }, { path: '/me/delete' }]
	}
];

/** The one-time code the demo customer's card shows now, read in a context of its own. */
async function customerCode(page: Page): Promise<string> {
	const browser = page.context().browser()!;
	const context = await browser.newContext({
		baseURL: test.info().project.use.baseURL,
		locale: 'ru-RU',
		timezoneId: 'Europe/Moscow'
	});
	try {
		const card = await context.newPage();
		await logInAs(card, 'customer@kopek.local');
		const code = card.locator('[data-code]');
		// a code with enough of its 30 s left for the counter to check it
		const left = () => 30 - (Math.floor(Date.now() / 1000) % 30);
		if (left() < 10) await card.waitForTimeout(left() * 1000 + 500);
		await expect(code).toHaveAttribute('data-code', /^\d{6}$/);
		return (await code.getAttribute('data-code')) ?? '';
	} finally {
		await context.close();
	}
}

/** The counter's step 2 for the demo customer, a bill typed in. */
async function counterStep2(page: Page) {
	await page.getByLabel('Введите QR код или ID клиента').fill('123455');
	await page.getByRole('button', { name: 'Продолжить' }).click();
	await page.getByLabel('Сумма счета, руб.:').fill('1000');
}

/** The counter's step 2 for the demo customer with a bill and the cashback offer checked. */
async function counterStep2WithCashback(page: Page) {
	const code = await customerCode(page);
	await page.getByLabel('Введите QR код или ID клиента').fill('123455');
	await page.getByRole('button', { name: 'Продолжить' }).click();
	await page.getByLabel('Сумма счета, руб.:').fill('1000');
	await page.getByLabel('Код клиента (6 цифр с карты)').fill(code);
	await page.getByRole('button', { name: 'Оплатить кэшбэком' }).click();
	await expect(page.getByLabel('Списать кэшбэком, руб.:')).toBeVisible();
}

/** The admin asks for a pairing code: the page shows it with its QR. */
async function showPairingCode(page: Page) {
	await page.getByLabel('Название кассы').fill('Касса обход');
	await page.getByRole('button', { name: 'Получить код подключения' }).click();
	await expect(page.getByTestId('pairing-code')).toBeVisible();
}

/** A signed-out tablet paired with a code the admin gets in a context of its own. */
async function pairTerminal(page: Page) {
	const context = await page.context().browser()!.newContext({
		baseURL: test.info().project.use.baseURL,
		locale: 'ru-RU',
		timezoneId: 'Europe/Moscow'
	});
	let code = '';
	try {
		const admin = await context.newPage();
		await logInAs(admin, 'company@kopek.local');
		await admin.goto('/company/terminals');
		await showPairingCode(admin);
		code = (await admin.getByTestId('pairing-code').textContent())?.trim() ?? '';
	} finally {
		await context.close();
	}
	await page.goto('/pair');
	await page.getByLabel('Код подключения').fill(code);
	await page.getByRole('button', { name: 'Подключить кассу' }).click();
	await expect(page).toHaveURL(/\/company\/pay$/);
}

/** A demo cashier opens the shift with the PIN. */
async function openShift(page: Page) {
	await page.getByLabel('Кассир').selectOption({ label: 'Анна' });
	await page.getByLabel('PIN-код').fill('1111');
	await page.getByRole('button', { name: 'Открыть смену' }).click();
	await expect(page.getByLabel('Введите QR код или ID клиента')).toBeVisible();
}

/** The sizes every page is checked at; axe runs at the phone and the landscape tablet (its
 * rules do not depend on the width in between). A desktop too: the page is 1100 px at most
 * there, and a ten-column table must fit it (the operator's statements hid «Сальдо»). */
export const VIEWPORTS = [
	{ name: 'phone', width: 390, height: 844, axe: true },
	{ name: 'tablet portrait', width: 768, height: 1024, axe: false },
	{ name: 'tablet landscape', width: 1024, height: 768, axe: true },
	{ name: 'desktop', width: 1280, height: 800, axe: false }
] as const;

/** What an on-screen keyboard covers of a 390×844 phone (iOS's with its suggestion bar). */
export const KEYBOARD_PX = 336;

/** WCAG 2.2 AA, as axe-core tags it. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Smallest size of anything tappable (WCAG 2.5.5, target size enhanced). */
export const MIN_TARGET = 44;
