import { z } from 'zod';

/**
 * Every webhook event Kopek sends (SPEC C14), in one module: the zod schema of each event's
 * `data`, the envelope every delivery's body follows (Standard Webhooks: `type`, `timestamp`,
 * `data`, plus the `id` the `webhook-id` header carries), and the OpenAPI 3.1 `webhooks`
 * section generated from them. Payloads never carry a customer's personal data: a customer is
 * named by their customer ID only.
 */

const kopecks = z.number().int().describe('Integer kopecks');
const isoTime = z.string().describe('ISO 8601, UTC');
const uuid = z.string().uuid();

export const operationCreated = z
	.object({
		operationId: uuid.describe('The operation ID (UUIDv7 the device chose)'),
		companyId: z.number().int(),
		kind: z.enum(['payment', 'redemption']).describe('redemption: paid partly with cashback'),
		customerId: z.string().describe('Customer ID (the only customer datum in any event)'),
		deviceId: uuid,
		cashierId: uuid.nullable(),
		billKopecks: kopecks,
		redeemedKopecks: kopecks.describe('Cashback spent on the bill (0 for a payment)'),
		rateBp: z.number().int().describe('Rate in basis points'),
		cashbackKopecks: kopecks.describe('Cashback credited now'),
		heldCashbackKopecks: kopecks.describe('Cashback held for review (0 when none)'),
		occurredAt: isoTime
	})
	.describe('A payment or a redemption was stored');

export const operationRefunded = z
	.object({
		refundId: uuid,
		operationId: uuid.describe('The refunded operation'),
		companyId: z.number().int(),
		customerId: z.string(),
		full: z
			.boolean()
			.describe('Whether this refund ends the payment (its last part); false for a partial refund'),
		amountKopecks: kopecks.describe('Refunded amount (positive)'),
		cashbackKopecks: kopecks.describe('Cashback taken back (positive)'),
		redeemedKopecks: kopecks.describe(
			"This refund's share of the cashback spent on the payment, returned to the balance"
		),
		refundedAt: isoTime
	})
	.describe('A payment was refunded');

export const statementClosed = z
	.object({
		companyId: z.number().int(),
		month: z.string().regex(/^\d{4}-\d{2}$/),
		closedAt: isoTime,
		netKopecks: kopecks,
		sha256: z.string().describe('SHA-256 of the statement’s canonical content')
	})
	.describe('A monthly statement was closed');

export const terminalPaired = z
	.object({ companyId: z.number().int(), deviceId: uuid, name: z.string(), pairedAt: isoTime })
	.describe('A terminal was paired');

export const terminalRevoked = z
	.object({
		companyId: z.number().int(),
		deviceId: uuid,
		mode: z.enum(['accept_before', 'reject_unsent']),
		revokedAt: isoTime
	})
	.describe('A terminal (or till) was revoked');

export const integrationKeyRevoked = z
	.object({ companyId: z.number().int(), keyId: z.string(), name: z.string(), revokedAt: isoTime })
	.describe('A till API integration key was revoked');

export const companyRegistered = z
	.object({ companyId: z.number().int(), name: z.string(), inn: z.string(), registeredAt: isoTime })
	.describe('Platform: a company registered (operator endpoints only)');

export const companyApproved = z
	.object({ companyId: z.number().int(), approvedAt: isoTime })
	.describe('Platform: a company was approved (operator endpoints only)');

export const webhookTest = z
	.object({ endpointId: uuid, message: z.string() })
	.describe('«Отправить тестовое событие»: sent to one endpoint on request');

export const EVENT_SCHEMAS = {
	'operation.created': operationCreated,
	'operation.refunded': operationRefunded,
	'statement.closed': statementClosed,
	'terminal.paired': terminalPaired,
	'terminal.revoked': terminalRevoked,
	'integration_key.revoked': integrationKeyRevoked,
	'company.registered': companyRegistered,
	'company.approved': companyApproved,
	'webhook.test': webhookTest
} as const;

export type EventType = keyof typeof EVENT_SCHEMAS;
export type EventData<T extends EventType> = z.infer<(typeof EVENT_SCHEMAS)[T]>;

/** What a company's endpoint may subscribe to. */
export const COMPANY_EVENTS = [
	'operation.created',
	'operation.refunded',
	'statement.closed',
	'terminal.paired',
	'terminal.revoked',
	'integration_key.revoked'
] as const satisfies readonly EventType[];

/** What the operator's (platform) endpoint may subscribe to: every company's. */
export const PLATFORM_EVENTS = [
	'company.registered',
	'company.approved',
	'statement.closed'
] as const satisfies readonly EventType[];

export type CompanyEvent = (typeof COMPANY_EVENTS)[number];
export type PlatformEvent = (typeof PLATFORM_EVENTS)[number];

/** A delivery's body. `id` equals the `webhook-id` header. */
export function envelope<T extends EventType>(
	type: T,
	id: string,
	timestamp: Date,
	data: unknown
): { id: string; type: T; timestamp: string; data: unknown } {
	return { id, type, timestamp: timestamp.toISOString(), data };
}

export function envelopeSchema(type: EventType) {
	return z.object({
		id: z.string().describe('msg_…: equals the webhook-id header; the same on every retry'),
		type: z.literal(type),
		timestamp: isoTime,
		data: EVENT_SCHEMAS[type]
	});
}

/**
 * The OpenAPI 3.1 `webhooks` object: one POST per event type, its body the envelope with the
 * event's data (JSON Schema from zod 4's z.toJSONSchema), signed per Standard Webhooks.
 */
export function openApiWebhooks(): Record<string, unknown> {
	const headers = {
		'webhook-id': { required: true, schema: { type: 'string' } },
		'webhook-timestamp': {
			required: true,
			schema: { type: 'string' },
			description: 'Unix seconds'
		},
		'webhook-signature': {
			required: true,
			schema: { type: 'string' },
			description:
				'Space-separated `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per active secret (two during the 24 h after a rotation)'
		}
	};
	return Object.fromEntries(
		(Object.keys(EVENT_SCHEMAS) as EventType[]).map((type) => [
			type,
			{
				post: {
					summary: EVENT_SCHEMAS[type].description,
					parameters: Object.entries(headers).map(([name, h]) => ({ name, in: 'header', ...h })),
					requestBody: {
						required: true,
						content: {
							'application/json': { schema: z.toJSONSchema(envelopeSchema(type), { io: 'input' }) }
						}
					},
					responses: {
						'2XX': {
							description: 'Received. Any other answer is retried (410 disables the endpoint).'
						}
					}
				}
			}
		])
	);
}
