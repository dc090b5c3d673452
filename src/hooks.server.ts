import { building } from '$app/environment';
import { redirect, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { isCrossSiteRequest } from '$server/auth/csrf';
import { getServices } from '$server/app';
import { isDatabaseUnavailable } from '$server/db/availability';
import { authenticate } from '$server/http/authenticate';
import { withCounterSkeleton, withPreloadTags } from '$server/http/counter-skeleton';
import { createFastApi, FAST_API_KEY } from '$server/http/fast-api';
import { createFastSync, FAST_SYNC_KEY } from '$server/http/fast-sync';
import { guardRequest } from '$server/http/guard';
import { healthz, readyz } from '$server/http/health';
import {
	createNodeSecurityHeaders,
	SECURITY_HEADERS_KEY,
	withSecurityHeaders
} from '$server/http/security-headers';
import { logger } from '$server/observability/logger';
import { databaseErrors, metricsResponse } from '$server/observability/metrics';
import { observeRequest } from '$server/observability/request-log';
import { appRouter } from '$server/root';
import type { Role } from '$server/db/types';
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE } from '$lib/i18n';
import { cabinetPath, isCounterPath, requiredRole } from '$lib/cabinets';

/** The counter's own pages (client-rendered); not an error page below them, which the server renders. */
const COUNTER_PAGE = /^\/company\/(pay|clients|shift)\/?$/;
/**
 * The pages a counter tablet and a customer's phone open first, whose first paint needs none
 * of the app's modules (the counter's skeleton, the card rendered on the server): their
 * modules are preloaded at low priority (server/http/counter-skeleton.ts, withPreloadTags).
 */
const LOW_PRIORITY_MODULES = /^\/(me|company\/(pay|clients|shift))\/?$/;

const procedures = new Set(Object.keys(appRouter._def.procedures));
const isProcedure = (name: string) => procedures.has(name);

/**
 * Opens, migrates and (for the demo) seeds the database before the first request. A database
 * that cannot be reached at start does not stop the server: requests answer 503 and the
 * next one tries again (getServices starts over after a failure).
 */
export const init: ServerInit = async () => {
	if (building) return;
	// scripts/start.js serves payments.sync through this, beside SvelteKit (issue 11).
	(globalThis as Record<symbol, unknown>)[FAST_SYNC_KEY] = createFastSync(isProcedure);
	// …and the till API, /api/v1/* (the same handler as its SvelteKit route).
	(globalThis as Record<symbol, unknown>)[FAST_API_KEY] = createFastApi(isProcedure);
	// …and puts the security headers on every response it writes, static files included.
	(globalThis as Record<symbol, unknown>)[SECURITY_HEADERS_KEY] = createNodeSecurityHeaders;
	try {
		await getServices();
	} catch (error) {
		if (!isDatabaseUnavailable(error)) throw error;
		logger.warn('database unreachable at start, serving 503 until it is back');
	}
};

/** An unexpected error of a page or action; an unreachable database makes the answer a 503. */
export const handleError: HandleServerError = ({ error, event }) => {
	if (isDatabaseUnavailable(error)) {
		event.locals.databaseUnavailable = true;
	} else {
		logger.error({ err: error, reqId: event.locals.requestId }, 'unexpected error');
	}
	return { message: 'Internal Error' };
};

/**
 * Every request: its id, log line and latency metric; the probes; then the guarded app. Every
 * answer carries the security headers (a page keeps its own CSP, with its nonce).
 */
export const handle: Handle = async ({ event, resolve }) => {
	if (building) return handleRequest({ event, resolve });
	const response = await observeRequest(event, logger, isProcedure, async () => {
		const path = event.url.pathname;
		if (path === '/healthz') return healthz();
		if (path === '/readyz') return readyz();
		if (path === '/metrics') return metricsResponse(event.request);
		return guardRequest(
			event,
			async () => handleRequest({ event, resolve }),
			(reason) => databaseErrors.inc({ reason })
		);
	});
	return withSecurityHeaders(response);
};

const handleRequest: Handle = async ({ event, resolve }) => {
	if (building) {
		event.locals.user = null;
		event.locals.session = null;
		event.locals.terminal = null;
		event.locals.locale = DEFAULT_LOCALE;
		// The prerendered counter shell (served offline for the counter's pages) paints early too.
		const skeleton = event.url.pathname === '/counter-shell';
		return resolve(event, {
			transformPageChunk: ({ html }) => {
				const page = html.replace('%kopek.lang%', DEFAULT_LOCALE);
				return skeleton ? withCounterSkeleton(page, DEFAULT_LOCALE) : page;
			}
		});
	}

	// The till API (SPEC C13): a Bearer key is its only credential, so no cookie is read (a
	// cabinet session cannot call it, and no browser's ambient credential is at stake).
	if (event.url.pathname === '/api/v1' || event.url.pathname.startsWith('/api/v1/')) {
		event.locals.db = (await getServices()).db;
		event.locals.user = null;
		event.locals.session = null;
		event.locals.terminal = null;
		event.locals.locale = DEFAULT_LOCALE;
		return resolve(event);
	}

	// SvelteKit's own CSRF check covers form posts only; this covers JSON and uploads too.
	if (isCrossSiteRequest(event.request, event.url.origin)) {
		return new Response('Cross-site request refused', { status: 403 });
	}

	const { db } = await getServices();
	event.locals.db = db;
	Object.assign(event.locals, await authenticate(db, event.cookies, event.url));

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
	// The counter renders in the browser only: its HTML carries a first picture (see there).
	const skeleton = COUNTER_PAGE.test(event.url.pathname);
	const response = await resolve(event, {
		transformPageChunk: ({ html }) => {
			const page = html.replace('%kopek.lang%', locale);
			return skeleton ? withCounterSkeleton(page, locale) : page;
		}
	});
	// Their modules come at low priority from preload tags in the page, not from SvelteKit's
	// Link header at high priority.
	const link = response.headers.get('link');
	if (
		!LOW_PRIORITY_MODULES.test(event.url.pathname) ||
		!link ||
		!response.headers.get('content-type')?.startsWith('text/html')
	) {
		return response;
	}
	const headers = new Headers(response.headers);
	headers.delete('link');
	headers.delete('content-length');
	const html = withPreloadTags(await response.text(), link);
	return new Response(html, { status: response.status, headers });
};
