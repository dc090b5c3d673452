/** Where each role lands after login, and which role owns each cabinet's URL space. */
export type CabinetRole = 'operator' | 'partner' | 'company' | 'customer';

const CABINETS: Record<CabinetRole, string> = {
	operator: '/operator',
	partner: '/partner',
	company: '/company',
	customer: '/me'
};

export function cabinetPath(role: CabinetRole): string {
	return CABINETS[role];
}

/** The role a path requires, or null for public pages (login, registration, legal pages). */
export function requiredRole(pathname: string): CabinetRole | null {
	for (const [role, prefix] of Object.entries(CABINETS) as [CabinetRole, string][]) {
		if (pathname === prefix || pathname.startsWith(prefix + '/')) return role;
	}
	return null;
}

/** The counter's pages, the only part of /company a paired terminal may open (SPEC C10). */
const COUNTER_PATHS = ['/company/pay', '/company/clients', '/company/shift'];

export function isCounterPath(pathname: string): boolean {
	return COUNTER_PATHS.some((p) => pathname === p || pathname.startsWith(p + '/'));
}

/** A `next` parameter is followed only to a path on this site, never to another origin. */
export function safeNextPath(next: string | null, fallback: string): string {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\'))
		return fallback;
	return next;
}

/**
 * Pages that open with no network: the counter (served from its precached shell) and the
 * customer's card (kept by the service worker). Every other page needs the server.
 */
const OFFLINE_PAGES = [/^\/company\/(pay|clients|shift)\/?$/, /^\/me\/?$/];

export function opensOffline(pathname: string): boolean {
	return OFFLINE_PAGES.some((pattern) => pattern.test(pathname));
}
