import type { RequestHandler } from './$types';
import { serveTrpc } from '$server/http/trpc-endpoint';

// The same function serves payments.sync on the fast path beside SvelteKit (scripts/start.js).
export const GET: RequestHandler = (event) => serveTrpc(event);
export const POST: RequestHandler = (event) => serveTrpc(event);
