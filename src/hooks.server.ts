import { building } from '$app/environment';
import { redirect, type Handle, type ServerInit } from '@sveltejs/kit';
import { isCrossSiteRequest } from '$server/auth/csrf';
import { SESSION_COOKIE, sessionCookieOptions, validateSessionToken } from '$server/auth/session';
import { terminalFromCookies } from '$server/auth/terminal';
import { getServices } from '$server/app';
import type { Role } from '$server/db/types';
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE } from '$lib/i18n';
import { cabinetPath, isCounterPath, requiredRole } from '$lib/cabinets';

/** Opens, migrates and (for the demo) seeds the database before the first request. */
export const init: ServerInit = async () => {
	if (!building) await getServices();
};

export const handle: Handle = async ({ event, resolve }) => {
	if (building) {
		event.locals.user = null;
		event.locals.session = null;
		event.locals.terminal = null;
		event.locals.locale = DEFAULT_LOCALE;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%kopek.lang%', DEFAULT_LOCALE)
		});
	}

	// SvelteKit's own CSRF check covers form posts only; this covers JSON and uploads too.
	if (isCrossSiteRequest(event.request, event.url.origin)) {
		return new Response('Cross-site request refused', { status: 403 });
	}

	const { db } = await getServices();
	event.locals.db = db;
	event.locals.user = null;
	event.locals.session = null;
	event.locals.terminal = await terminalFromCookies(db, event.cookies);

	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const result = await validateSessionToken(db, token);
		if (result) {
			event.locals.user = result.user;
			event.locals.session = result.session;
			event.cookies.set(
				SESSION_COOKIE,
				token,
				sessionCookieOptions(event.url, result.session.expiresAt)
			);
		} else {
			event.cookies.delete(SESSION_COOKIE, { path: '/' });
		}
	}

	const cookieLocale = event.cookies.get(LOCALE_COOKIE);
	event.locals.locale =
		event.locals.user?.locale ?? (isLocale(cookieLocale) ? cookieLocale : DEFAULT_LOCALE);

	// Each cabinet belongs to one role: anonymous users go to the login, others to their own.
	const role: Role | null = requiredRole(event.url.pathname);
	// A paired terminal may open the counter's own pages, nothing else of the cabinet.
	const terminalAtCounter = !!event.locals.terminal && isCounterPath(event.url.pathname);
	if (role && !terminalAtCounter && !event.url.pathname.startsWith('/api/')) {
		if (!event.locals.user) {
			const next = event.url.pathname + event.url.search;
			redirect(303, `/login?next=${encodeURIComponent(next)}`);
		}
		if (event.locals.user.role !== role) redirect(303, cabinetPath(event.locals.user.role));
	}

	const locale = event.locals.locale;
	return resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%kopek.lang%', locale)
	});
};
