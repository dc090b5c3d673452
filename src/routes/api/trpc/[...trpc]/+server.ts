import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { RequestHandler } from './$types';
import { appRouter } from '$server/root';
import { withServerTime } from '$server/http/server-time';

const handler: RequestHandler = (event) =>
	fetchRequestHandler({
		endpoint: '/api/trpc',
		req: event.request,
		router: appRouter,
		createContext: () => ({
			db: event.locals.db,
			user: event.locals.user,
			session: event.locals.session,
			ip: event.getClientAddress(),
			request: event.request,
			terminal: event.locals.terminal,
			setCookie: (name, value, options) => event.cookies.set(name, value, options)
		})
	});

export const GET = withServerTime(handler);
export const POST = withServerTime(handler);
