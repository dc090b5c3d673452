import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { RequestHandler } from './$types';
import { appRouter } from '$server/root';
import { withServerTime } from '$server/http/server-time';
import { limitTrpcRequest, MAX_BATCH_CALLS } from '$server/http/trpc-limits';
import { retryAfterMeta } from '$server/http/retry-after';
import { logger } from '$server/observability/logger';

const handler: RequestHandler = async (event) => {
	const req = await limitTrpcRequest(event.request, event.url);
	if (req instanceof Response) return req;
	return fetchRequestHandler({
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
		// A failure of Kopek's own (not a refusal) is logged with the request's id; the client
		// gets no stack (NODE_ENV=production).
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
};

export const GET = withServerTime(handler);
export const POST = withServerTime(handler);
