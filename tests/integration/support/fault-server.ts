/**
 * Kopek's API in a process of its own, for the fault tests: the same tRPC router, session
 * check, request guard (503 + Retry-After, the 10 s bound) and health probes as the built
 * app's hooks, without the pages. Configured by the environment like the app (DATABASE_URL
 * or KOPEK_DATA_DIR, PORT). Run with tsx.
 */
import http from 'node:http';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { RequestEvent } from '@sveltejs/kit';
import { getServices } from '../../../server/app';
import { SESSION_COOKIE, validateSessionToken } from '../../../server/auth/session';
import { RETRY_AFTER_SECONDS } from '../../../server/db/availability';
import { guardRequest } from '../../../server/http/guard';
import { healthz, readyz } from '../../../server/http/health';
import { appRouter } from '../../../server/root';

async function api(request: Request): Promise<Response> {
	const { db } = await getServices();
	const cookie = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`);
	const token = cookie.exec(request.headers.get('cookie') ?? '')?.[1];
	const valid = token ? await validateSessionToken(db, token) : null;
	return fetchRequestHandler({
		endpoint: '/api/trpc',
		req: request,
		router: appRouter,
		createContext: () => ({
			db,
			user: valid?.user ?? null,
			session: valid?.session ?? null,
			ip: '127.0.0.1',
			request
		}),
		onError: ({ error }) => {
			if (error.code === 'INTERNAL_SERVER_ERROR') {
				const cause = error.cause as { code?: string; message?: string } | undefined;
				console.error(`[fault-server] 500: ${cause?.code} ${cause?.message}`);
			}
		},
		responseMeta: ({ errors }) =>
			errors.some((e) => e.code === 'SERVICE_UNAVAILABLE')
				? { headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } }
				: {}
	});
}

async function handle(request: Request): Promise<Response> {
	const url = new URL(request.url);
	if (url.pathname === '/healthz') return healthz();
	if (url.pathname === '/readyz') return readyz();
	const event = { request, url, locals: {} } as unknown as RequestEvent;
	return guardRequest(event, () => api(request));
}

const server = http.createServer(async (req, res) => {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	const body = chunks.length ? Buffer.concat(chunks) : undefined;
	const headers = new Headers();
	for (const [name, value] of Object.entries(req.headers)) {
		if (typeof value === 'string') headers.set(name, value);
	}
	try {
		const response = await handle(
			new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body })
		);
		res.writeHead(response.status, Object.fromEntries(response.headers));
		res.end(Buffer.from(await response.arrayBuffer()));
	} catch (error) {
		console.error('[fault-server] unexpected error', error);
		res.writeHead(500).end();
	}
});

server.listen(Number(process.env.PORT), '127.0.0.1', () => {
	console.log(`[fault-server] listening on ${process.env.PORT}`);
});
// Open the database now, like the app's init; a failure is retried by the next request.
getServices().catch(() => {});
