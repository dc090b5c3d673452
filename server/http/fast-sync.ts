import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { getRequest, setResponse } from '@sveltejs/kit/node';
import { DEFAULT_LOCALE } from '../../src/lib/i18n';
import { getServices } from '../app';
import { isCrossSiteRequest } from '../auth/csrf';
import { logger } from '../observability/logger';
import { databaseErrors } from '../observability/metrics';
import { observeRequest } from '../observability/request-log';
import { authenticate } from './authenticate';
import { requestCookieJar } from './cookie-jar';
import { guardRequest } from './guard';
import { serveTrpc, type TrpcEvent } from './trpc-endpoint';
import { MAX_TRPC_BODY_BYTES } from './trpc-limits';

/**
 * `POST /api/trpc/payments.sync` beside SvelteKit (issue 11): the hot call of a fleet of
 * counters, served by the same functions as through SvelteKit — request log and metrics,
 * request guard (503, the 10 s bound), cross-site check, terminal and session credentials
 * (cookie renewal included), request limits, tRPC with the same router and context, the
 * server's clock — without SvelteKit's routing, hooks chain and response rendering, which
 * cost about 0.4 ms of CPU of a 2.5 ms call (docs/SCALING.md). scripts/start.js hands such
 * requests here; everything else goes to SvelteKit.
 */
export const FAST_SYNC_KEY = Symbol.for('kopek.fast-sync');
const ROUTE_ID = '/api/trpc/[...trpc]';

const env = (name: string) => process.env[name] ?? '';

/** A single value of a header, as adapter-node reads it. */
function header(headers: IncomingHttpHeaders, name: string): string | undefined {
	if (!name) return undefined;
	const value = headers[name];
	if (Array.isArray(value)) {
		if (value.length > 1) throw new Error(`multiple values for the ${name} header`);
		return value[0];
	}
	return value;
}

/** The request's origin, as adapter-node computes it (ORIGIN, PROTOCOL/HOST/PORT_HEADER). */
export function requestOrigin(headers: IncomingHttpHeaders): string {
	if (env('ORIGIN')) return new URL(env('ORIGIN')).origin;
	const protocol = decodeURIComponent(
		header(headers, env('PROTOCOL_HEADER').toLowerCase()) || 'https'
	);
	if (protocol.includes(':')) throw new Error('invalid protocol header');
	const host = header(headers, env('HOST_HEADER').toLowerCase()) || header(headers, 'host');
	if (!host) throw new Error('no host header');
	const port = header(headers, env('PORT_HEADER').toLowerCase());
	if (port && isNaN(+port)) throw new Error('invalid port header');
	return port ? `${protocol}://${host}:${port}` : `${protocol}://${host}`;
}

/** The client's address, as adapter-node's getClientAddress (ADDRESS_HEADER, XFF_DEPTH). */
export function clientAddress(req: IncomingMessage): string {
	const addressHeader = env('ADDRESS_HEADER').toLowerCase();
	if (!addressHeader) return req.socket.remoteAddress ?? '';
	if (!(addressHeader in req.headers)) {
		throw new Error(`ADDRESS_HEADER=${addressHeader} is absent from the request`);
	}
	const value = String(req.headers[addressHeader] ?? '');
	if (addressHeader !== 'x-forwarded-for') return value;
	const depth = parseInt(process.env.XFF_DEPTH ?? '1');
	const addresses = value.split(',');
	if (!(depth >= 1) || depth > addresses.length) throw new Error('XFF_DEPTH out of range');
	return addresses[addresses.length - depth]!.trim();
}

/** The fast path's handler: node request in, node response out. */
export function createFastSync(isProcedure: (name: string) => boolean) {
	return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		let request: Request;
		try {
			// Twice the tRPC limit: limitTrpcRequest answers the 413 itself, as on SvelteKit's path.
			request = await getRequest({
				base: requestOrigin(req.headers),
				request: req,
				bodySizeLimit: 2 * MAX_TRPC_BODY_BYTES
			});
		} catch {
			res.statusCode = 400;
			res.end('Bad Request');
			return;
		}
		const url = new URL(request.url);
		const cookies = requestCookieJar(request.headers.get('cookie'), url);
		const event: TrpcEvent & { locals: App.Locals; route: { id: string } } = {
			request,
			url,
			route: { id: ROUTE_ID },
			locals: {
				db: undefined as unknown as App.Locals['db'],
				user: null,
				session: null,
				terminal: null,
				locale: DEFAULT_LOCALE
			},
			cookies,
			getClientAddress: () => clientAddress(req)
		};
		let response: Response;
		try {
			response = await observeRequest(event, logger, isProcedure, () =>
				guardRequest(
					event,
					async () => {
						if (isCrossSiteRequest(request, url.origin)) {
							return new Response('Cross-site request refused', { status: 403 });
						}
						const { db } = await getServices();
						event.locals.db = db;
						Object.assign(event.locals, await authenticate(db, cookies, url));
						return serveTrpc(event);
					},
					(reason) => databaseErrors.inc({ reason })
				)
			);
		} catch (error) {
			logger.error({ err: error, reqId: event.locals.requestId }, 'unexpected error');
			response = new Response('Internal Error', { status: 500 });
		}
		for (const cookie of cookies.setCookieHeaders()) response.headers.append('set-cookie', cookie);
		await setResponse(res, response);
	};
}
