import { z } from 'zod';
import { openApiWebhooks } from '../../services/webhook-events';
import * as s from './schemas';

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the handlers validate
 * with (schemas.ts). zod 4's `z.toJSONSchema` writes JSON Schema 2020-12, which is OpenAPI
 * 3.1's schema dialect, so each schema goes in as it is: no second description of a shape, and
 * no dependency beyond zod (zod-openapi would add a registry layer over the same output;
 * trpc-to-openapi would tie the REST shapes to tRPC, which this API deliberately is not).
 */

function schema(type: z.ZodType, io: 'input' | 'output') {
	const { $schema: _drop, ...rest } = z.toJSONSchema(type, {
		io,
		unrepresentable: 'any'
	}) as Record<string, unknown>;
	return rest;
}

const components = {
	QuoteRequest: schema(s.quoteRequest, 'input'),
	QuoteResponse: schema(s.quoteResponse, 'output'),
	Customer: schema(s.customerResponse, 'output'),
	SaleRequest: schema(s.saleRequest, 'input'),
	SaleResponse: schema(s.saleResponse, 'output'),
	RefundRequest: schema(s.refundRequest, 'input'),
	RefundResponse: schema(s.refundResponse, 'output'),
	Operation: schema(s.storedOperation, 'output'),
	OperationsPage: schema(s.operationsResponse, 'output'),
	Problem: schema(s.problem, 'output')
};

export type ComponentName = keyof typeof components;

const ref = (name: ComponentName) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: ComponentName) => ({ 'application/json': { schema: ref(name) } });
const problems = (...statuses: number[]) =>
	Object.fromEntries(
		statuses.map((status) => [
			String(status),
			{
				description: 'RFC 9457 problem: a stable code, a Russian detail, the field at fault',
				content: { 'application/problem+json': { schema: ref('Problem') } }
			}
		])
	);
const idempotencyKey = {
	name: 'Idempotency-Key',
	in: 'header',
	required: true,
	description:
		'Up to 128 characters, unique per request. The same key with the same body answers the stored answer; with another body, 409.',
	schema: { type: 'string', minLength: 1, maxLength: 128 }
};
const post = (
	summary: string,
	request: ComponentName,
	answers: Record<string, { description: string; body: ComponentName }>,
	extra: Record<string, unknown> = {}
) => ({
	summary,
	...extra,
	parameters: [idempotencyKey, ...((extra.parameters as unknown[]) ?? [])],
	requestBody: { required: true, content: json(request) },
	responses: {
		...Object.fromEntries(
			Object.entries(answers).map(([status, a]) => [
				status,
				{ description: a.description, content: json(a.body) }
			])
		),
		...problems(400, 401, 404, 409, 413, 415, 422, 429)
	}
});

let cached: Record<string, unknown> | null = null;

export function openApiDocument(): Record<string, unknown> {
	cached ??= {
		openapi: '3.1.0',
		info: {
			title: 'Kopek till API',
			version: '1.0.0',
			description:
				'For cash-register software: look customers up, quote, record sales (with or without paying with cashback) and refunds, whole or partial. Money in integer kopecks, times RFC 3339. The key is checked before a request body is read; bodies are at most 256 KB (413 `body_too_large`). Each key may send 50 requests a second on average, in bursts of up to 100 (per server instance); past that, 429 `rate_limited` with Retry-After.'
		},
		servers: [{ url: '/' }],
		security: [{ bearer: [] }],
		components: {
			securitySchemes: {
				bearer: {
					type: 'http',
					scheme: 'bearer',
					description: 'An integration key (kpk_…) from «Интеграции» in the company cabinet'
				}
			},
			schemas: components
		},
		paths: {
			'/api/v1/customers/{customer}': {
				get: {
					summary: 'Look a customer up by ID or by the card’s QR payload',
					operationId: 'lookupCustomer',
					parameters: [
						{
							name: 'customer',
							in: 'path',
							required: true,
							description: 'Customer ID, the card URL, or KOPEK1:<id>:<code>',
							schema: { type: 'string' }
						},
						{ name: 'code', in: 'query', required: false, schema: { type: 'string' } },
						{ name: 'billKopecks', in: 'query', required: false, schema: { type: 'integer' } }
					],
					responses: {
						'200': { description: 'The customer', content: json('Customer') },
						...problems(401, 404, 422, 429)
					}
				}
			},
			'/api/v1/quotes': {
				post: post(
					'Quote a receipt: cashback, most redeemable, what is paid with money, lines after discount',
					'QuoteRequest',
					{ '200': { description: 'The quote', body: 'QuoteResponse' } },
					{ operationId: 'quote' }
				)
			},
			'/api/v1/sales': {
				post: post(
					'Record a sale (payments.sync; with redeemKopecks and the code, payments.redeem)',
					'SaleRequest',
					{
						'201': { description: 'Accepted: stored now', body: 'SaleResponse' },
						'200': { description: 'Duplicate: stored before', body: 'SaleResponse' }
					},
					{ operationId: 'recordSale' }
				)
			},
			'/api/v1/sales/{saleId}/refunds': {
				post: post(
					'Refund a sale, whole or a part (an amount or lines); several per sale',
					'RefundRequest',
					{ '201': { description: 'The refund', body: 'RefundResponse' } },
					{
						operationId: 'refundSale',
						parameters: [
							{
								name: 'saleId',
								in: 'path',
								required: true,
								schema: { type: 'string', format: 'uuid' }
							}
						]
					}
				)
			},
			'/api/v1/operations': {
				get: {
					summary: 'The company’s operations recorded since a time (reconciliation), cursor-paged',
					operationId: 'listOperations',
					parameters: [
						{
							name: 'since',
							in: 'query',
							required: true,
							schema: { type: 'string', format: 'date-time' }
						},
						{ name: 'cursor', in: 'query', required: false, schema: { type: 'string' } },
						{
							name: 'limit',
							in: 'query',
							required: false,
							schema: { type: 'integer', minimum: 1, maximum: 500 }
						}
					],
					responses: {
						'200': { description: 'A page', content: json('OperationsPage') },
						...problems(401, 422, 429)
					}
				}
			}
		},
		// What Kopek sends to a company's endpoints (SPEC C14), from the events' zod schemas.
		webhooks: openApiWebhooks()
	};
	return cached;
}
