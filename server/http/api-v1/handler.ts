import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { isUuid } from '../../../src/lib/domain/uuid';
import type { Database } from '../../db/types';
import * as idem from '../../repositories/api-idempotency';
import { listTillOperations } from '../../repositories/till-operations';
import { LookupThrottled } from '../../services/customer-probes';
import type { RedemptionContext } from '../../repositories/redemptions';
import { checkCaller, type ApiPrincipal } from '../../services/integration-keys';
import * as till from '../../services/till-api';
import { openApiDocument } from './openapi';
import { jsonResponse, problemBody, problemResponse, type ProblemBody } from './problem';
import { createRateLimit, type RateLimit } from './rate';
import * as s from './schemas';
import { readBounded } from '../read-bounded';

/**
 * /api/v1, the till API (SPEC C13). Plain Fetch API in and out, so SvelteKit's route
 * (src/routes/api/v1/[...path]/+server.ts) and the tests call the same function. Only
 * `Authorization: Bearer kpk_…` authenticates here — a cabinet's session cookie is never
 * read — and a key authenticates nothing else (tRPC reads cookies only).
 */

export const MAX_IDEMPOTENCY_KEY = 128;
/** The largest request body the API reads (a receipt of 500 lines is well under it). */
export const MAX_BODY_BYTES = 256 * 1024;
/** How long a repeat waits for the first request with its Idempotency-Key to answer. */
const WAIT_FOR_FIRST_MS = 8_000;

type Answer = { status: number; body: unknown };

const ok = (status: number, body: unknown): Answer => ({ status, body });
const fail = (p: ProblemBody): Answer => ({ status: p.status, body: p });
const fromProblem = (p: till.Problem): Answer =>
	fail(problemBody(p.problem, { field: p.field, retryAfterSeconds: p.retryAfterSeconds }));

function validationProblem(error: z.ZodError): ProblemBody {
	const issue = error.issues[0];
	return problemBody('validation_failed', {
		field: issue?.path.join('.') || undefined,
		detail: issue
			? `Неверное поле ${issue.path.join('.') || 'запроса'}: ${issue.message}`
			: undefined
	});
}

/** Stable JSON (keys sorted) of the parsed body: the request's hash does not depend on spacing. */
function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object')
		return `{${Object.keys(value)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
			.join(',')}}`;
	return JSON.stringify(value);
}

export interface ApiOptions {
	now?: () => Date;
	/** The per-key rate limit (tests pass their own); default: this instance's. */
	rateLimit?: RateLimit;
}

const instanceRateLimit = createRateLimit();

export async function handleApiV1(
	db: Kysely<Database>,
	request: Request,
	options: ApiOptions = {}
): Promise<Response> {
	const url = new URL(request.url);
	const path = url.pathname.replace(/\/+$/, '');
	if (path === '/api/v1/openapi.json' && request.method === 'GET')
		return jsonResponse(200, openApiDocument(), { 'cache-control': 'public, max-age=300' });
	const now = options.now?.() ?? new Date();
	try {
		// The key first, before anything of the body is read; a quote's context comes with it.
		const route = request.method === 'POST' ? postRoute(path) : null;
		const caller = await checkCaller(
			db,
			request.headers.get('authorization'),
			route?.quote ? now : null
		);
		if (!caller) return problemResponse(problemBody('unauthorized'));
		const wait = (options.rateLimit ?? instanceRateLimit).take(caller.who.keyId);
		if (wait !== null)
			return problemResponse(problemBody('rate_limited', { retryAfterSeconds: wait }));
		if (request.method === 'POST') {
			if (!route) return problemResponse(problemBody('not_found'));
			const post = await preparePost(request, path, route);
			if ('problem' in post) return problemResponse(post.problem);
			return await handlePost(db, caller.who, post, caller.quoteContext, now);
		}
		if (request.method === 'GET') {
			const answer = await routeGet(db, caller.who, path, url, now);
			return answer.status >= 400
				? problemResponse(answer.body as ProblemBody)
				: jsonResponse(answer.status, answer.body);
		}
		return problemResponse(problemBody('method_not_allowed'), false);
	} catch (error) {
		if (error instanceof LookupThrottled)
			return problemResponse(
				problemBody('throttled', { retryAfterSeconds: error.retryAfterSeconds })
			);
		throw error;
	}
}

async function routeGet(
	db: Kysely<Database>,
	who: ApiPrincipal,
	path: string,
	url: URL,
	now: Date
): Promise<Answer> {
	const customer = /^\/api\/v1\/customers\/([^/]{1,200})$/.exec(path);
	if (customer) {
		const bill = url.searchParams.get('billKopecks');
		const billKopecks = bill === null ? undefined : Number(bill);
		if (billKopecks !== undefined && !(Number.isSafeInteger(billKopecks) && billKopecks > 0))
			return fail(problemBody('validation_failed', { field: 'billKopecks' }));
		const code = url.searchParams.get('code') ?? undefined;
		if (code !== undefined && !/^\d{6}$/.test(code))
			return fail(problemBody('bad_code', { field: 'code' }));
		const result = await till.lookupCustomer(db, who, {
			query: decodeURIComponent(customer[1]!),
			code,
			billKopecks,
			now
		});
		return 'ok' in result ? ok(200, result.ok) : fromProblem(result);
	}
	if (path === '/api/v1/operations') {
		const parsed = s.operationsQuery.safeParse(Object.fromEntries(url.searchParams));
		if (!parsed.success) return fail(validationProblem(parsed.error));
		let after: { at: string; id: string } | undefined;
		if (parsed.data.cursor) {
			try {
				after = JSON.parse(Buffer.from(parsed.data.cursor, 'base64url').toString('utf8'));
				if (typeof after?.at !== 'string' || !/^[0-9a-f-]{36}$/.test(after.id ?? ''))
					throw new Error('bad cursor');
			} catch {
				return fail(problemBody('validation_failed', { field: 'cursor' }));
			}
		}
		const page = await listTillOperations(db, {
			companyId: who.companyId,
			since: new Date(parsed.data.since),
			after,
			limit: parsed.data.limit
		});
		return ok(200, {
			operations: page.operations,
			nextCursor: page.next
				? Buffer.from(JSON.stringify(page.next), 'utf8').toString('base64url')
				: null
		});
	}
	return fail(problemBody('not_found'));
}

interface PreparedPost {
	route: PostRoute;
	body: unknown;
	idempotencyKey: string;
	requestHash: string;
}

/** The body as text, or null past MAX_BODY_BYTES (stops reading there). */
async function readBody(request: Request): Promise<string | null> {
	if (Number(request.headers.get('content-length')) > MAX_BODY_BYTES) return null;
	if (!request.body) return '';
	const body = await readBounded(request.body, MAX_BODY_BYTES);
	return body && new TextDecoder().decode(body);
}

/** A POST's Idempotency-Key and body, checked (after its key) before any statement of its own. */
async function preparePost(
	request: Request,
	path: string,
	route: PostRoute
): Promise<PreparedPost | { problem: ProblemBody }> {
	const idempotencyKey = request.headers.get('idempotency-key');
	if (!idempotencyKey) return { problem: problemBody('missing_idempotency_key') };
	if (idempotencyKey.length > MAX_IDEMPOTENCY_KEY)
		return { problem: problemBody('idempotency_key_too_long') };
	if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json'))
		return { problem: problemBody('unsupported_media_type') };
	const text = await readBody(request);
	if (text === null) return { problem: problemBody('body_too_large') };
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		return { problem: problemBody('bad_json') };
	}
	const requestHash = createHash('sha256')
		.update(`POST ${path}\n${canonical(body)}`)
		.digest('hex');
	return { route, body, idempotencyKey, requestHash };
}

async function handlePost(
	db: Kysely<Database>,
	who: ApiPrincipal,
	{ route, body, idempotencyKey, requestHash }: PreparedPost,
	quoteContext: RedemptionContext | null,
	now: Date
): Promise<Response> {
	const ref = { keyId: who.keyId, idempotencyKey, requestHash };
	// A quote without a code writes nothing (its context came with the key check): it runs first
	// and claims the Idempotency-Key with its answer in one statement, or answers what the first
	// request with that key left. Anything else claims the key before it runs.
	const early =
		route.quote && quoteContext && !hasCode(body)
			? await route(db, who, body, idempotencyKey, now, quoteContext)
			: null;
	if (early?.status === 429) return answerResponse(early);
	let claim: idem.Claim = early
		? await idem.claimWithAnswer(db, { ...ref, status: early.status, body: early.body })
		: await idem.claimTogether(db, ref);
	if (early && claim.kind === 'mine') return answerResponse(early);
	const deadline = Date.now() + WAIT_FOR_FIRST_MS;
	while (claim.kind === 'running' && Date.now() < deadline) {
		await new Promise((r) => setTimeout(r, 20));
		claim = await idem.read(db, ref);
	}
	if (claim.kind === 'other_request') return problemResponse(problemBody('idempotency_key_reused'));
	if (claim.kind === 'running')
		return problemResponse(problemBody('request_in_progress', { retryAfterSeconds: 1 }));
	if (claim.kind === 'answered') {
		const replayed = { 'idempotent-replayed': 'true' };
		return claim.status >= 400
			? problemResponse(claim.body as ProblemBody, true)
			: jsonResponse(claim.status, claim.body, replayed);
	}
	let answer: Answer;
	try {
		answer = await route(db, who, body, idempotencyKey, now, null);
	} catch (error) {
		await idem.release(db, ref).catch(() => {});
		throw error;
	}
	// A refusal for now (429) is not the request's answer: a retry may run it again.
	if (answer.status === 429) await idem.release(db, ref);
	else await idem.storeAnswer(db, { ...ref, status: answer.status, body: answer.body });
	return answerResponse(answer);
}

const hasCode = (body: unknown) =>
	typeof body === 'object' && body !== null && (body as { code?: unknown }).code !== undefined;

const answerResponse = (answer: Answer) =>
	answer.status >= 400
		? problemResponse(answer.body as ProblemBody)
		: jsonResponse(answer.status, answer.body);

type PostRoute = ((
	db: Kysely<Database>,
	who: ApiPrincipal,
	body: unknown,
	idempotencyKey: string,
	now: Date,
	quoteContext: RedemptionContext | null
) => Promise<Answer>) & { quote?: boolean };

function postRoute(path: string): PostRoute | null {
	if (path === '/api/v1/quotes')
		return Object.assign(
			async (
				db: Kysely<Database>,
				who: ApiPrincipal,
				body: unknown,
				_key: string,
				now: Date,
				context: RedemptionContext | null
			): Promise<Answer> => {
				const parsed = s.quoteRequest.safeParse(body);
				if (!parsed.success) return fail(validationProblem(parsed.error));
				const result = await guarded(() =>
					till.quote(db, who, { ...parsed.data, now }, context ?? undefined)
				);
				return 'ok' in result ? ok(200, result.ok) : fromProblem(result);
			},
			{ quote: true }
		);
	if (path === '/api/v1/sales')
		return async (db, who, body, idempotencyKey, now) => {
			const parsed = s.saleRequest.safeParse(body);
			if (!parsed.success) return fail(validationProblem(parsed.error));
			const result = await guarded(() =>
				till.recordSale(db, who, { ...parsed.data, idempotencyKey, now })
			);
			if (!('ok' in result)) return fromProblem(result);
			return ok(result.ok.outcome === 'accepted' ? 201 : 200, result.ok);
		};
	const refund = /^\/api\/v1\/sales\/([0-9a-fA-F-]{36})\/refunds$/.exec(path);
	if (refund)
		return async (db, who, body) => {
			if (!isUuid(refund[1]!)) return fail(problemBody('not_found'));
			const parsed = s.refundRequest.safeParse(body);
			if (!parsed.success) return fail(validationProblem(parsed.error));
			const result = await till.refundSale(db, who, {
				operationId: refund[1]!.toLowerCase(),
				...parsed.data
			});
			return 'ok' in result ? ok(201, result.ok) : fromProblem(result);
		};
	return null;
}

/** A lookup limit reached inside a service is the request's 429 answer. */
async function guarded<T>(run: () => Promise<T>): Promise<T | till.Problem> {
	try {
		return await run();
	} catch (error) {
		if (error instanceof LookupThrottled)
			return { problem: 'throttled', retryAfterSeconds: error.retryAfterSeconds };
		throw error;
	}
}
