import { createTRPCClient, httpBatchLink, httpLink, splitLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '../../server/root';
import { createObservingFetch } from './offline/server-fetch';

/** Calls per batched request: the server refuses more (issue 7). */
const MAX_BATCH_ITEMS = 10;

/**
 * The browser's tRPC client: same procedures and checks as the server's loads use. Every
 * answer teaches the counter the server's clock. `payments.sync` always goes alone in its
 * own request (the server takes one sync per request), the rest is batched.
 */
export const trpc = createTRPCClient<AppRouter>({
	links: [
		splitLink({
			condition: (op) => op.path === 'payments.sync',
			true: httpLink({ url: '/api/trpc', transformer: superjson, fetch: createObservingFetch() }),
			false: httpBatchLink({
				url: '/api/trpc',
				transformer: superjson,
				maxItems: MAX_BATCH_ITEMS,
				fetch: createObservingFetch()
			})
		})
	]
});
