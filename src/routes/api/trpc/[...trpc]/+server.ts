import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { RequestHandler } from './$types';
import { appRouter } from '$server/root';
import { withServerTime } from '$server/http/server-time';
import { RETRY_AFTER_SECONDS } from '$server/db/availability';
import { limitTrpcRequest, MAX_BATCH_CALLS } from '$server/http/trpc-limits';
import { retryAfterOf } from '$server/http/too-many-requests';

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
		// A client told to come back later also learns when (the counter's backoff reads it).
		responseMeta: ({ errors }) => {
			if (errors.some((e) => e.code === 'SERVICE_UNAVAILABLE'))
				return { headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } };
			const limited = retryAfterOf(errors);
			return limited === null ? {} : { headers: { 'retry-after': String(limited) } };
		}
	});
};

export const GET = withServerTime(handler);
export const POST = withServerTime(handler);
