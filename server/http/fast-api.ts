import type { IncomingMessage, ServerResponse } from 'node:http';
import { isHttpError } from '@sveltejs/kit';
import { getRequest } from '@sveltejs/kit/node';
import { DEFAULT_LOCALE } from '../../src/lib/i18n';
import { getServices } from '../app';
import { logger } from '../observability/logger';
import { databaseErrors } from '../observability/metrics';
import { observeRequest } from '../observability/request-log';
import { handleApiV1 } from './api-v1/handler';
import { clientAddress, requestOrigin, send } from './fast-sync';
import { guardRequest } from './guard';
import { withSecurityHeaders } from './security-headers';

/**
 * The till API (`/api/v1/*`, SPEC C13) beside SvelteKit, as payments.sync is (fast-sync.ts):
 * the same request log and metrics (route `/api/v1/[...path]`), the same guard (503 +
 * Retry-After, the 10 s bound), the same security headers and CSP (withSecurityHeaders, as
 * the hooks put them), the same handler (handleApiV1) — without SvelteKit's routing, hooks
 * chain and response rendering. scripts/start.js hands /api/v1/ requests here; a path this
 * does not take as it is (a trailing slash SvelteKit redirects, `.` segments, HEAD/OPTIONS)
 * goes on to SvelteKit through `next`.
 */
export const FAST_API_KEY = Symbol.for('kopek.fast-api');
export const API_ROUTE_ID = '/api/v1/[...path]';
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
/** Segments as SvelteKit serves them unchanged: no empty, `.` or `..` segment, no trailing slash. */
const PLAIN_PATH = /^\/api\/v1(?:\/(?!\.\.?(?:\/|$))[^/?#]+)+$/;

/** adapter-node's BODY_SIZE_LIMIT (bytes, or with a K/M/G suffix; default 512K). */
export function bodySizeLimit(value = process.env.BODY_SIZE_LIMIT ?? '512K'): number {
	if (value === 'Infinity') return Infinity;
	const match = /^(\d+)([KMG]?)$/i.exec(value.trim());
	if (!match) throw new Error(`BODY_SIZE_LIMIT: ${value}`);
	const factor = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[match[2]!.toUpperCase()]!;
	return Number(match[1]) * factor;
}

/** Whether the fast path takes this request as it is (else SvelteKit answers it). */
export function takesApiRequest(method: string | undefined, rawUrl: string | undefined): boolean {
	if (!method || !METHODS.has(method) || !rawUrl) return false;
	const path = rawUrl.split('?', 1)[0]!;
	return PLAIN_PATH.test(path);
}

/** SvelteKit's own errors (its SvelteKitError: a status and a text), else 500. */
function statusOfKitError(error: unknown): number {
	const e = error as { status?: unknown; text?: unknown } | null;
	return typeof e?.status === 'number' && typeof e.text === 'string' ? e.status : 500;
}

export function createFastApi(isProcedure: (name: string) => boolean) {
	const limit = bodySizeLimit();
	return async (req: IncomingMessage, res: ServerResponse, next: () => void): Promise<void> => {
		if (!takesApiRequest(req.method, req.url)) return next();
		let request: Request;
		try {
			request = await getRequest({
				base: requestOrigin(req.headers),
				request: req,
				bodySizeLimit: limit
			});
		} catch {
			res.statusCode = 400;
			res.end('Bad Request');
			return;
		}
		const url = new URL(request.url);
		const event = {
			request,
			url,
			route: { id: API_ROUTE_ID },
			locals: {
				db: undefined as unknown as App.Locals['db'],
				user: null,
				session: null,
				terminal: null,
				locale: DEFAULT_LOCALE
			} as App.Locals,
			getClientAddress: () => clientAddress(req)
		};
		let response: Response;
		try {
			response = await observeRequest(event, logger, isProcedure, () =>
				guardRequest(
					event,
					async () => {
						const { db } = await getServices();
						event.locals.db = db;
						return handleApiV1(db, request);
					},
					(reason) => databaseErrors.inc({ reason })
				)
			);
		} catch (error) {
			// As SvelteKit answers an endpoint's thrown error: an HTTP error with its status and
			// message; a request body past BODY_SIZE_LIMIT (SvelteKitError 413) with its status; the
			// rest 500; both logged by the hooks' handleError, so here too.
			if (!isHttpError(error))
				logger.error({ err: error, reqId: event.locals.requestId }, 'unexpected error');
			const status = isHttpError(error) ? error.status : statusOfKitError(error);
			const message = isHttpError(error) ? error.body.message : 'Internal Error';
			response = new Response(JSON.stringify({ message }), {
				status,
				headers: { 'content-type': 'application/json' }
			});
		}
		await send(res, withSecurityHeaders(response), []);
	};
}
