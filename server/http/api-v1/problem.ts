import { translate } from '../../../src/lib/i18n';

/** HTTP status of each problem code; refusals of a well-formed request are 422. */
const STATUS: Record<string, number> = {
	bad_json: 400,
	missing_idempotency_key: 400,
	idempotency_key_too_long: 400,
	unauthorized: 401,
	not_found: 404,
	method_not_allowed: 405,
	operation_conflict: 409,
	idempotency_key_reused: 409,
	request_in_progress: 409,
	body_too_large: 413,
	unsupported_media_type: 415,
	throttled: 429,
	rate_limited: 429
};

export interface ProblemBody {
	type: string;
	title: string;
	status: number;
	code: string;
	detail: string;
	field?: string;
	retryAfterSeconds?: number;
}

/** An RFC 9457 problem: a stable `code`, its Russian `detail` and the field at fault. */
export function problemBody(
	code: string,
	extra: { field?: string; retryAfterSeconds?: number; detail?: string } = {}
): ProblemBody {
	const status = STATUS[code] ?? 422;
	const key = `api.problem.${code}`;
	const known = translate('ru', key);
	const detail =
		extra.detail ?? (known === key ? `${translate('ru', 'api.problem.other')}: ${code}` : known);
	return {
		type: `/company/integrations/reference#problem-${code}`,
		title: code,
		status,
		code,
		detail,
		...(extra.field ? { field: extra.field } : {}),
		...(extra.retryAfterSeconds !== undefined ? { retryAfterSeconds: extra.retryAfterSeconds } : {})
	};
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}) {
	const problem = status >= 400;
	return new Response(JSON.stringify(body), {
		status,
		headers: {
			'content-type': problem ? 'application/problem+json' : 'application/json',
			'cache-control': 'no-store',
			...(status === 401 ? { 'www-authenticate': 'Bearer realm="kopek"' } : {}),
			...headers
		}
	});
}

export function problemResponse(body: ProblemBody, replayed = false): Response {
	return jsonResponse(body.status, body, {
		...(body.retryAfterSeconds !== undefined
			? { 'retry-after': String(body.retryAfterSeconds) }
			: {}),
		...(replayed ? { 'idempotent-replayed': 'true' } : {})
	});
}
