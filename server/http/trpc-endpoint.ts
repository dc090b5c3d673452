import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import {
	getErrorShape,
	getHTTPStatusCode,
	getTRPCErrorFromUnknown,
	transformTRPCResponse,
	TRPCError
} from '@trpc/server/unstable-core-do-not-import';
import type { Kysely } from 'kysely';
import type { Database } from '../db/types';
import { logger } from '../observability/logger';
import { appRouter } from '../root';
import type { Context } from '../trpc';
import type { CookieJar } from './cookie-jar';
import type { Principal } from './authenticate';
import type { RequestHead } from './request-head';
import { retryAfterMeta } from './retry-after';
import { withServerTime } from './server-time';
import { stampTerminalState } from './terminal-state';
import { limitTrpcRequest, MAX_BATCH_CALLS } from './trpc-limits';

/** What serving `/api/trpc` needs of a request: SvelteKit's event, or the fast path's own. */
export interface TrpcEvent<R extends RequestHead = Request> {
	request: R;
	url: URL;
	locals: Principal & { db: Kysely<Database>; requestId?: string };
	cookies: CookieJar;
	getClientAddress(): string;
}

/** The procedures' context for a request (the same on both paths). */
function contextOf(event: TrpcEvent<RequestHead>, request?: Request): Context {
	return {
		db: event.locals.db,
		user: event.locals.user,
		session: event.locals.session,
		ip: event.getClientAddress(),
		request,
		terminal: event.locals.terminal,
		setCookie: (name, value, options) => event.cookies.set(name, value, options)
	};
}

/** A failure of Kopek's own (not a refusal) is logged with the request's id; the client gets no stack (NODE_ENV=production). */
function logFailure(event: TrpcEvent<RequestHead>, error: TRPCError, path: string | undefined) {
	if (error.code === 'INTERNAL_SERVER_ERROR') {
		logger.error(
			{ err: error.cause ?? error, reqId: event.locals.requestId, trpc: path },
			'procedure failed'
		);
	}
}

/**
 * `/api/trpc/*`: the request limits, then tRPC with the caller's context; every answer
 * carries the server's clock. Served by the SvelteKit route and by the sync fast path alike.
 */
export async function serveTrpc(event: TrpcEvent): Promise<Response> {
	return stampTerminalState(await answerTrpc(event), event.locals.terminal);
}

function answerTrpc(event: TrpcEvent): Promise<Response> {
	return withServerTime(async () => {
		const req = await limitTrpcRequest(event.request, event.url);
		return req instanceof Response
			? req
			: fetchRequestHandler({
					endpoint: '/api/trpc',
					req,
					router: appRouter,
					maxBatchSize: MAX_BATCH_CALLS,
					createContext: () => contextOf(event, req),
					onError: ({ error, path }) => logFailure(event, error, path),
					responseMeta: retryAfterMeta
				});
	});
}

const config = appRouter._def._config;

/**
 * One unbatched call of a mutation with a JSON body already read, answered as tRPC's fetch
 * adapter answers it (the same procedure, middlewares, input parsing, error shape, status,
 * Retry-After and the server's clock; `tests/integration/sync-call.test.ts` compares the two
 * byte for byte) without its Request, body stream, abort signals and batching machinery: the
 * sync fast path's call (server/http/fast-sync.ts).
 */
export function serveMutationCall(
	event: TrpcEvent<RequestHead>,
	path: string,
	body: string
): Promise<Response> {
	return withServerTime(() => answerMutationCall(event, path, body)).then((response) =>
		stampTerminalState(response, event.locals.terminal)
	);
}

async function answerMutationCall(
	event: TrpcEvent<RequestHead>,
	path: string,
	body: string
): Promise<Response> {
	const procedure = (appRouter._def.procedures as Record<string, unknown>)[path] as
		(((opts: unknown) => Promise<unknown>) & { _def: { type: string } }) | undefined;
	if (procedure?._def.type !== 'mutation')
		throw new Error(`serveMutationCall: ${path} is no mutation`);
	const ctx = contextOf(event);
	let parsed: { input: unknown } | undefined;
	const getRawInput = async () => {
		try {
			parsed ??= {
				input: body ? config.transformer.input.deserialize(JSON.parse(body)) : undefined
			};
		} catch (cause) {
			// As tRPC's body parser: a body that does not parse is the caller's error.
			throw new TRPCError({
				code: 'BAD_REQUEST',
				message: cause instanceof Error ? cause.message : 'Invalid input',
				cause
			});
		}
		return parsed.input;
	};
	let response: { result: { data: unknown } } | { error: ReturnType<typeof getErrorShape> };
	let errors: TRPCError[] = [];
	try {
		const data = await procedure({ path, getRawInput, ctx, type: 'mutation', batchIndex: 0 });
		response = { result: { data } };
	} catch (cause) {
		const error = getTRPCErrorFromUnknown(cause);
		errors = [error];
		logFailure(event, error, path);
		response = {
			error: getErrorShape({ config, ctx, error, input: parsed?.input, path, type: 'mutation' })
		};
	}
	const headers = new Headers({ vary: 'trpc-accept, accept', 'content-type': 'application/json' });
	for (const [key, value] of Object.entries(retryAfterMeta({ errors }).headers ?? {})) {
		headers.set(key, value);
	}
	return new Response(JSON.stringify(transformTRPCResponse(config, response)), {
		status: getHTTPStatusCode(response, errors),
		headers
	});
}
