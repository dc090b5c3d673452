import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { Kysely } from 'kysely';
import type { Database } from '../db/types';
import { logger } from '../observability/logger';
import { appRouter } from '../root';
import type { CookieJar } from './cookie-jar';
import type { Principal } from './authenticate';
import { retryAfterMeta } from './retry-after';
import { stampServerTime } from './server-time';
import { limitTrpcRequest, MAX_BATCH_CALLS } from './trpc-limits';

/** What serving `/api/trpc` needs of a request: SvelteKit's event, or the fast path's own. */
export interface TrpcEvent {
	request: Request;
	url: URL;
	locals: Principal & { db: Kysely<Database>; requestId?: string };
	cookies: CookieJar;
	getClientAddress(): string;
}

/**
 * `/api/trpc/*`: the request limits, then tRPC with the caller's context; every answer
 * carries the server's clock. Served by the SvelteKit route and by the sync fast path alike.
 */
export async function serveTrpc(event: TrpcEvent): Promise<Response> {
	const start = Date.now();
	const req = await limitTrpcRequest(event.request, event.url);
	const response =
		req instanceof Response
			? req
			: await fetchRequestHandler({
					endpoint: '/api/trpc',
					req,
					router: appRouter,
					maxBatchSize: MAX_BATCH_CALLS,
					createContext: () => ({
						db: event.locals.db,
						user: event.locals.user,
						session: event.locals.session,
						ip: event.getClientAddress(),
						request: req,
						terminal: event.locals.terminal,
						setCookie: (name, value, options) => event.cookies.set(name, value, options)
					}),
					// A failure of Kopek's own (not a refusal) is logged with the request's id; the
					// client gets no stack (NODE_ENV=production).
					onError: ({ error, path }) => {
						if (error.code === 'INTERNAL_SERVER_ERROR') {
							logger.error(
								{ err: error.cause ?? error, reqId: event.locals.requestId, trpc: path },
								'procedure failed'
							);
						}
					},
					responseMeta: retryAfterMeta
				});
	return stampServerTime(response, (start + Date.now()) / 2);
}
