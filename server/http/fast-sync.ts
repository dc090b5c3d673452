import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { getRequest } from '@sveltejs/kit/node';
import { DEFAULT_LOCALE } from '../../src/lib/i18n';
import { getServices } from '../app';
import { isCrossSiteRequest } from '../auth/csrf';
import { logger } from '../observability/logger';
import { databaseErrors } from '../observability/metrics';
import { observeRequest } from '../observability/request-log';
import { authenticate } from './authenticate';
import { requestCookieJar } from './cookie-jar';
import { guardRequest } from './guard';
import type { RequestHead } from './request-head';
import { stampServerTime } from './server-time';
import { serveMutationCall, serveTrpc, type TrpcEvent } from './trpc-endpoint';
import { trpcErrorResponse } from './unavailable';
import { MAX_TRPC_BODY_BYTES } from './trpc-limits';

/**
 * `POST /api/trpc/payments.sync` beside SvelteKit (issue 11): the hot call of a fleet of
 * counters, served by the same functions as through SvelteKit — request log and metrics,
 * request guard (503, the 10 s bound), cross-site check, terminal and session credentials
 * (cookie renewal included), request limits, tRPC with the same router and context, the
 * server's clock — without SvelteKit's routing, hooks chain and response rendering (about
 * 0.4 ms of CPU of a 2.5 ms call), and for a plain JSON call without a Web Request at all
 * (another 0.2 ms; docs/SCALING.md). scripts/start.js hands such requests here; everything
 * else goes to SvelteKit.
 */
export const FAST_SYNC_KEY = Symbol.for('kopek.fast-sync');
const ROUTE_ID = '/api/trpc/[...trpc]';
const SYNC_PATH = 'payments.sync';

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

/** A request's head as the shared checks read it, straight off Node's headers. */
function headOf(req: IncomingMessage): RequestHead {
	return {
		method: req.method ?? 'GET',
		headers: {
			get(name) {
				const value = req.headers[name.toLowerCase()];
				return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
			}
		}
	};
}

/**
 * The body, up to `limit` bytes; null when it is longer (or says it is): the rest is read and
 * dropped, so the answer (413) still reaches the client on its connection.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
	return new Promise((resolve, reject) => {
		const declared = req.headers['content-length'];
		if (declared !== undefined && Number(declared) > limit) {
			req.resume();
			resolve(null);
			return;
		}
		const chunks: Buffer[] = [];
		let size = 0;
		let ended = false;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) chunks.length = 0;
			else chunks.push(chunk);
		});
		req.on('end', () => {
			ended = true;
			resolve(size > limit ? null : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
		});
		req.on('error', reject);
		req.on('close', () => {
			if (!ended) reject(new Error('the request ended before its body'));
		});
	});
}

/** Writes a Web Response to Node's response (a small JSON or text answer). */
export async function send(
	res: ServerResponse,
	response: Response,
	cookies: string[]
): Promise<void> {
	const headers: Record<string, string | string[]> = {};
	for (const [name, value] of response.headers) headers[name] = value;
	if (cookies.length > 0) headers['set-cookie'] = cookies;
	const body = Buffer.from(await response.arrayBuffer());
	headers['content-length'] = String(body.length);
	res.writeHead(response.status, headers);
	res.end(body);
}

/**
 * The fast path's handler: node request in, node response out. A plain unbatched JSON call
 * (what every counter sends) is served by serveMutationCall, with no Web Request built; any
 * other shape of request (a query string, another content type) goes through tRPC's fetch
 * adapter as on SvelteKit's path, so its answer is tRPC's own.
 */
export function createFastSync(isProcedure: (name: string) => boolean) {
	return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		let url: URL;
		try {
			url = new URL(req.url ?? '/', requestOrigin(req.headers));
		} catch {
			res.statusCode = 400;
			res.end('Bad Request');
			return;
		}
		const plain =
			url.search === '' &&
			(req.headers['content-type'] ?? '').split(';')[0]!.trim() === 'application/json';
		let request: RequestHead;
		let webRequest: Request | null = null;
		let body: string | null = null;
		try {
			if (plain) {
				request = headOf(req);
				const bytes = await readBody(req, MAX_TRPC_BODY_BYTES);
				body = bytes === null ? null : bytes.toString('utf8');
			} else {
				// Twice the tRPC limit: limitTrpcRequest answers the 413 itself, as on SvelteKit's path.
				request = webRequest = await getRequest({
					base: url.origin,
					request: req,
					bodySizeLimit: 2 * MAX_TRPC_BODY_BYTES
				});
			}
		} catch {
			res.statusCode = 400;
			res.end('Bad Request');
			return;
		}
		const cookies = requestCookieJar(request.headers.get('cookie'), url);
		const event: TrpcEvent<RequestHead> & { locals: App.Locals; route: { id: string } } = {
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
						if (plain && body === null) {
							return stampServerTime(trpcErrorResponse(url, 'PAYLOAD_TOO_LARGE'));
						}
						const { db } = await getServices();
						event.locals.db = db;
						Object.assign(event.locals, await authenticate(db, cookies, url));
						return plain
							? serveMutationCall(event, SYNC_PATH, body!)
							: serveTrpc({ ...event, request: webRequest! });
					},
					(reason) => databaseErrors.inc({ reason })
				)
			);
		} catch (error) {
			logger.error({ err: error, reqId: event.locals.requestId }, 'unexpected error');
			response = new Response('Internal Error', { status: 500 });
		}
		await send(res, response, cookies.setCookieHeaders());
	};
}
