import Ajv2020 from 'ajv8/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { Database } from '../../../server/db/types';
import { handleApiV1 } from '../../../server/http/api-v1/handler';
import { openApiDocument } from '../../../server/http/api-v1/openapi';

/**
 * Calls /api/v1 through its handler (the function SvelteKit's route calls) and checks every
 * answer against the OpenAPI document: its status is one the operation declares, and its body
 * matches that status's schema (ajv, JSON Schema 2020-12 — OpenAPI 3.1's dialect).
 */
const doc = openApiDocument() as {
	paths: Record<
		string,
		Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
	>;
	components: { schemas: Record<string, unknown> };
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ajv = new (Ajv2020 as any)({ strict: false, allErrors: true });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
(addFormats as any)(ajv);
ajv.addSchema({ $id: 'kopek:doc', components: doc.components }, 'kopek:doc');

function operationOf(method: string, path: string) {
	const bare = path.split('?')[0]!;
	for (const [template, ops] of Object.entries(doc.paths)) {
		const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
		if (pattern.test(bare)) return ops[method.toLowerCase()];
	}
	return undefined;
}

export function checkAgainstDocument(
	method: string,
	path: string,
	status: number,
	body: unknown,
	type: string
) {
	const op = operationOf(method, path);
	if (!op) throw new Error(`${method} ${path}: not in the OpenAPI document`);
	const response = op.responses[String(status)];
	expect(
		response,
		`${method} ${path} answered ${status}, which the document does not declare`
	).toBeDefined();
	const [mediaType, media] = Object.entries(response!.content ?? {})[0] ?? [];
	expect(type.split(';')[0]).toBe(mediaType);
	const schema = JSON.parse(
		JSON.stringify(media!.schema).replaceAll('"#/components/', '"kopek:doc#/components/')
	);
	const validate = ajv.compile(schema);
	if (!validate(body))
		throw new Error(
			`${method} ${path} ${status}: body does not match the document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`
		);
}

export interface ApiAnswer {
	status: number;
	body: Record<string, unknown>;
	headers: Headers;
}

export function tillClient(db: Kysely<Database>, secret: string | null) {
	return async function call(
		method: 'GET' | 'POST',
		path: string,
		body?: unknown,
		headers: Record<string, string> = {}
	): Promise<ApiAnswer> {
		const request = new Request(`http://kopek.test${path}`, {
			method,
			headers: {
				...(secret ? { authorization: `Bearer ${secret}` } : {}),
				...(body !== undefined ? { 'content-type': 'application/json' } : {}),
				...headers
			},
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		const response = await handleApiV1(db, request);
		const json = (await response.json()) as Record<string, unknown>;
		checkAgainstDocument(
			method,
			path,
			response.status,
			json,
			response.headers.get('content-type') ?? ''
		);
		return { status: response.status, body: json, headers: response.headers };
	};
}
