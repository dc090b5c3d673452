import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { RequestHandler } from './$types';
import { appRouter } from '$server/root';
import { withServerTime } from '$server/http/server-time';
import { limitTrpcRequest, MAX_BATCH_CALLS } from '$server/http/trpc-limits';
import { retryAfterMeta } from '$server/http/retry-after';

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
			request: req
		}),
		responseMeta: retryAfterMeta
	});
};

export const GET = withServerTime(handler);
export const POST = withServerTime(handler);
