import { createTRPCClient, httpBatchLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '../../server/root';

/** The browser's tRPC client: same procedures and checks as the server's loads use. */
export const trpc = createTRPCClient<AppRouter>({
	links: [httpBatchLink({ url: '/api/trpc', transformer: superjson })]
});
