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
	/** Something that shows the page is ready (a heading name or a label). */
	ready?: string | RegExp;
}

export interface WalkRole {
	name: string;
	/** Demo account that sees these pages; none for the public pages. */
	email?: string;
	/** Registers a terminal first (the counter pages ask for one on a new device). */
	counter?: boolean;
	pages: WalkPage[];
}

export const WALK: WalkRole[] = [
	{
		name: 'public',
		pages: [
			{ path: '/login' },
			{ path: '/register' },
			{ path: '/signup' },
			{ path: '/legal/terms' },
			{ path: '/legal/privacy' },
			{ path: '/legal/connection' }
		]
	},
	{
		name: 'operator',
		email: 'operator@kopek.local',
		pages: [
			{ path: '/operator' },
			{ path: '/operator/companies' },
			{ from: '/operator/companies', link: /^\/operator\/companies\/\d+$/ },
			{ path: '/operator/partners' },
			{ from: '/operator/partners', link: /^\/operator\/partners\/\d+$/ }
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
	{
		name: 'company',
		email: 'company@kopek.local',
		counter: true,
		pages: [
			{ path: '/company' },
			{ path: '/company/pay', ready: 'Введите QR код или ID клиента' },
			{ path: '/company/clients', ready: 'Сумма счетов' },
			{ path: '/company/profile' },
			{ path: '/company/terminals' }
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
		pages: [{ path: '/me' }]
	}
];

/** The sizes every page is checked at; axe runs at the phone and the landscape tablet (its
 * rules do not depend on the width in between). */
export const VIEWPORTS = [
	{ name: 'phone', width: 390, height: 844, axe: true },
	{ name: 'tablet portrait', width: 768, height: 1024, axe: false },
	{ name: 'tablet landscape', width: 1024, height: 768, axe: true }
] as const;

/** WCAG 2.2 AA, as axe-core tags it. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Smallest size of anything tappable (WCAG 2.5.5, target size enhanced). */
export const MIN_TARGET = 44;
