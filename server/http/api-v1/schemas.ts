import { z } from 'zod';

/*
 * The till API's shapes (SPEC C13): the handlers validate with these, and the OpenAPI document
 * (openapi.ts) is generated from the same objects by zod 4's own JSON Schema output — OpenAPI
 * 3.1 schemas are JSON Schema 2020-12, which is what `z.toJSONSchema` writes, so no second
 * description of any shape and no extra dependency. Money: integer kopecks; times: RFC 3339.
 */

const kopecks = z.number().int().min(0).max(1_000_000_000_000);
const positiveKopecks = z.number().int().min(1).max(1_000_000_000_000);
const time = z.iso.datetime({ offset: true });
const customerId = z.string().regex(/^\d{6,12}$/);
const code = z.string().regex(/^\d{6}$/);
/** 54-FZ quantities: at most three decimals (Kopek keeps thousandths). */
const quantity = z.number().positive().max(1_000_000).multipleOf(0.001);

export const receiptLine = z.object({
	name: z.string().min(1).max(200),
	quantity,
	priceKopecks: kopecks,
	amountKopecks: kopecks,
	noCashback: z.boolean().optional().describe('Line outside the loyalty operation'),
	noRedeem: z.boolean().optional().describe('Line that cannot be paid with cashback')
});

export const receipt = z.object({
	totalKopecks: positiveKopecks,
	lines: z.array(receiptLine).max(500).optional()
});

export const quoteRequest = z.object({
	customerId: customerId.optional().describe('Needed with redeemKopecks'),
	code: code.optional().describe('The customer’s one-time code: needed to pay with cashback'),
	receipt,
	redeemKopecks: kopecks.optional()
});

export const discountedLine = z.object({
	name: z.string(),
	amountKopecks: kopecks,
	discountKopecks: kopecks,
	discountedAmountKopecks: kopecks
});

export const quoteResponse = z.object({
	billKopecks: kopecks.describe('The loyalty operation’s bill: total minus lines outside cashback'),
	rateBp: z.number().int(),
	cashbackKopecks: kopecks,
	maxRedeemKopecks: kopecks.nullable().describe('Null without a valid code'),
	redeemKopecks: kopecks,
	payKopecks: kopecks.describe('What the customer pays with money'),
	balanceKopecks: kopecks.nullable(),
	lines: z.array(discountedLine)
});

export const customerResponse = z.object({
	customerId,
	name: z.string(),
	balanceKopecks: kopecks.nullable().describe('Only with a valid one-time code'),
	maxRedeemKopecks: kopecks.nullable().describe('With a valid code and billKopecks')
});

export const saleRequest = z.object({
	customerId,
	code: code.optional(),
	receipt,
	redeemKopecks: kopecks.optional(),
	occurredAt: time.optional().describe('When the till took it (offline sales later); default now')
});

export const storedOperation = z.object({
	id: z.uuid(),
	kind: z
		.enum(['payment', 'refund', 'release', 'expiry'])
		.describe(
			'release: held cashback confirmed after review; expiry: a balance expired (the program rules)'
		),
	customerId,
	amountKopecks: z.number().int(),
	rateBp: z.number().int(),
	cashbackKopecks: z.number().int(),
	redeemedKopecks: z.number().int(),
	occurredAt: time,
	reversesId: z.uuid().nullable(),
	heldKopecks: kopecks.nullable().describe('Cashback held for review, not yet credited')
});

export const saleResponse = z.object({
	outcome: z.enum(['accepted', 'duplicate']),
	operation: storedOperation,
	payKopecks: kopecks,
	balanceKopecks: kopecks.nullable().describe('After the sale; only when it was paid with a code'),
	lines: z.array(discountedLine)
});

export const refundRequest = z
	.object({
		amountKopecks: positiveKopecks
			.optional()
			.describe('Part of the bill; absent with no lines: all'),
		lines: z
			.array(
				z.object({
					line: z
						.number()
						.int()
						.min(1)
						.max(500)
						.describe('The line’s number in the sale’s receipt, from 1'),
					quantity: quantity.optional().describe('Absent: all that remains of the line')
				})
			)
			.min(1)
			.max(500)
			.optional()
			.describe(
				'Lines of the sale (sent with it) to refund: checked against what was sold and already refunded; the amount is computed from them'
			),
		reason: z.string().trim().min(1).max(500).optional()
	})
	.refine((r) => !(r.amountKopecks !== undefined && r.lines !== undefined), {
		message: 'amountKopecks or lines, not both',
		path: ['amountKopecks']
	});

export const refundedLine = z.object({
	line: z.number().int().min(1),
	quantity: z.number().positive(),
	amountKopecks: kopecks.describe('The part of the bill this line’s quantity took back')
});

export const refundResponse = z.object({
	refund: storedOperation,
	remainingKopecks: kopecks.describe('What remains refundable of the sale'),
	lines: z.array(refundedLine).describe('The lines this refund took back; empty for an amount')
});

export const operationsQuery = z.object({
	since: time,
	cursor: z.string().max(200).optional(),
	limit: z.coerce.number().int().min(1).max(500).default(100)
});

export const operationsResponse = z.object({
	operations: z.array(storedOperation),
	nextCursor: z.string().nullable()
});

export const problem = z.object({
	type: z.string(),
	title: z.string(),
	status: z.number().int(),
	code: z.string().describe('Stable, machine-readable'),
	detail: z.string().describe('In Russian, for the cashier'),
	field: z.string().optional().describe('The request field at fault'),
	retryAfterSeconds: z.number().int().optional()
});

export type QuoteRequest = z.infer<typeof quoteRequest>;
export type SaleRequest = z.infer<typeof saleRequest>;
export type RefundRequest = z.infer<typeof refundRequest>;
export type StoredOperationBody = z.infer<typeof storedOperation>;
