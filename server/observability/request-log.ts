import { randomUUID } from 'node:crypto';
import { isHttpError, isRedirect, type RequestEvent } from '@sveltejs/kit';
import type { Logger } from 'pino';
import type { RequestHead } from '../http/request-head';
import { httpDuration } from './metrics';

const TRPC_PREFIX = '/api/trpc/';

/** A request id a proxy in front may have set (kept when it looks like one), else a new one. */
export function requestIdOf(request: RequestHead): string {
	const given = request.headers.get('x-request-id');
	return given && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
}

/**
 * The route a request is counted under: its SvelteKit route id, or for tRPC the procedure
 * (`trpc:payments.sync`; `trpc:batch` when one request calls several). Only known names
 * become labels, so a client cannot grow the metrics with made-up paths.
 */
export function routeLabel(
	pathname: string,
	routeId: string | null,
	isProcedure: (name: string) => boolean
): { route: string; procedure: string | null } {
	if (!pathname.startsWith(TRPC_PREFIX)) return { route: routeId ?? 'unmatched', procedure: null };
	const names = [...new Set(decodeURIComponent(pathname.slice(TRPC_PREFIX.length)).split(','))];
	if (!names.every(isProcedure)) return { route: 'trpc:unknown', procedure: null };
	const procedure = names.join(',');
	return { route: names.length === 1 ? `trpc:${procedure}` : 'trpc:batch', procedure };
}

/** What an error thrown out of the handle chain answers (a redirect, an HTTP error or a 500). */
function statusOfThrown(error: unknown): number {
	if (isRedirect(error)) return error.status;
	if (isHttpError(error)) return error.status;
	return 500;
}

/**
 * Runs one request with a request id (`x-request-id` on the answer), then writes its log line
 * (method, path without the query, route, tRPC procedure, status, duration, the user's id and
 * role when signed in) and counts it in the latency histogram. Health probes are logged at
 * debug level only. Nothing of the query, headers, cookies or body is logged.
 */
/** What observing needs of a request: SvelteKit's event, or the sync fast path's own. */
export type ObservedEvent = Pick<RequestEvent, 'url' | 'locals'> & {
	request: RequestHead;
	route?: { id: string | null };
};

export async function observeRequest(
	event: ObservedEvent,
	log: Logger,
	isProcedure: (name: string) => boolean,
	run: () => Promise<Response>
): Promise<Response> {
	const started = performance.now();
	const requestId = requestIdOf(event.request);
	event.locals.requestId = requestId;
	let status = 500;
	try {
		const response = await run();
		status = response.status;
		try {
			response.headers.set('x-request-id', requestId);
		} catch {
			/* an immutable response (a fetched one): the id stays in the log */
		}
		return response;
	} catch (error) {
		status = statusOfThrown(error);
		throw error;
	} finally {
		const ms = performance.now() - started;
		const path = event.url.pathname;
		const { route, procedure } = routeLabel(path, event.route?.id ?? null, isProcedure);
		httpDuration.observe(
			{ route, method: event.request.method, status: String(status) },
			ms / 1000
		);
		const probe = path === '/healthz' || path === '/readyz' || path === '/metrics';
		const user = event.locals.user;
		log[probe ? 'debug' : 'info'](
			{
				reqId: requestId,
				method: event.request.method,
				path,
				route,
				...(procedure ? { trpc: procedure } : {}),
				status,
				ms: Math.round(ms * 10) / 10,
				...(user ? { userId: user.id, role: user.role } : {})
			},
			'request'
		);
	}
}
