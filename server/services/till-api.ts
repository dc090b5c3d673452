import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { computeCashback } from '../../src/lib/domain/money';
import { parseRedemptionQr } from '../../src/lib/domain/otp';
import { extractCustomerId } from '../../src/lib/domain/customer-id';
import {
	discountLines,
	receiptBases,
	receiptProblem,
	type Receipt
} from '../../src/lib/domain/receipt';
import { getSecretKey } from '../crypto/keys';
import type { Database } from '../db/types';
import { getRedemptionContext, type RedemptionContext } from '../repositories/redemptions';
import { insertSaleLines } from '../repositories/sale-lines';
import { getTillOperation, type TillOperation } from '../repositories/till-operations';
import { lookUpCustomerForCompany } from './customer-lookup';
import type { ApiPrincipal } from './integration-keys';
import { coalescedSync } from './sync-coalescer';
import { redeem } from './redemption';
import { previewRedemption } from './redemption-preview';

/*
 * The till API's doors (SPEC C13): each a thin translation into the services the counter
 * already uses — customer lookup, redemption preview, payments.sync, payments.redeem, the
 * refund — so no business rule is written twice. Answers are data or a problem: a stable code
 * (the HTTP layer gives it its status, its Russian detail and the field at fault).
 */

export type Problem = { problem: string; field?: string; retryAfterSeconds?: number };
type Result<T> = { ok: T } | Problem;

const sender = { terminal: null };

function balanceOrNull(n: number | null | undefined) {
	return n === undefined ? null : n;
}

/** Customer lookup by ID or a card's QR payload (with its one-time code when it carries one). */
export async function lookupCustomer(
	db: Kysely<Database>,
	who: ApiPrincipal,
	input: { query: string; code?: string; billKopecks?: number; now: Date }
): Promise<
	Result<{
		customerId: string;
		name: string;
		balanceKopecks: number | null;
		maxRedeemKopecks: number | null;
	}>
> {
	const qr = parseRedemptionQr(input.query);
	const customerId = qr?.customerId ?? extractCustomerId(input.query);
	const code = input.code ?? qr?.code;
	if (!customerId) return { problem: 'unknown_customer', field: 'customer' };
	if (code) {
		const preview = await previewRedemption(db, {
			companyId: who.companyId,
			deviceId: who.deviceId,
			customerId,
			code,
			billKopecks: input.billKopecks ?? 1,
			now: input.now,
			key: getSecretKey(),
			sender
		});
		if (!preview.ok) return { problem: preview.reason, field: 'code' };
		return {
			ok: {
				customerId,
				name: preview.customerName,
				balanceKopecks: preview.balanceKopecks,
				maxRedeemKopecks: input.billKopecks === undefined ? null : preview.maxRedeemKopecks
			}
		};
	}
	const found = await lookUpCustomerForCompany(db, who.companyId, customerId, { now: input.now });
	if (!found.ok)
		return found.error === 'throttled'
			? { problem: 'throttled', retryAfterSeconds: found.retryAfterSeconds }
			: { problem: found.error };
	if (!found.customer) return { problem: 'unknown_customer', field: 'customer' };
	return {
		ok: { ...found.customer, balanceKopecks: null, maxRedeemKopecks: null }
	};
}

interface Priced {
	billKopecks: number;
	rateBp: number;
	cashbackKopecks: number;
	maxRedeemKopecks: number | null;
	redeemKopecks: number;
	payKopecks: number;
	balanceKopecks: number | null;
	lines: ReturnType<typeof discountLines>;
}

/** The quote: what the sale would be, by the same rules the sale is recorded with. */
export async function quote(
	db: Kysely<Database>,
	who: ApiPrincipal,
	input: {
		customerId?: string;
		code?: string;
		receipt: Receipt;
		redeemKopecks?: number;
		now: Date;
	},
	/** Without a code: the company's context at `now`, when the caller read it already. */
	known?: RedemptionContext
): Promise<Result<Priced>> {
	const mismatch = receiptProblem(input.receipt);
	if (mismatch) return { problem: mismatch, field: 'receipt.lines' };
	const { billKopecks, redeemableKopecks } = receiptBases(input.receipt);
	if (billKopecks < 1) return { problem: 'amount_out_of_range', field: 'receipt' };
	const redeemKopecks = input.redeemKopecks ?? 0;
	let rateBp: number;
	let maxRedeem: number | null = null;
	let balance: number | null = null;
	if (input.code) {
		if (!input.customerId) return { problem: 'customer_required', field: 'customerId' };
		const preview = await previewRedemption(db, {
			companyId: who.companyId,
			deviceId: who.deviceId,
			customerId: input.customerId,
			code: input.code,
			billKopecks,
			now: input.now,
			key: getSecretKey(),
			sender
		});
		if (!preview.ok) return { problem: preview.reason, field: 'code' };
		rateBp = preview.rateBp;
		maxRedeem = Math.min(preview.maxRedeemKopecks, redeemableKopecks);
		balance = preview.balanceKopecks;
	} else {
		const context =
			known ??
			(await getRedemptionContext(db, {
				companyId: who.companyId,
				deviceId: who.deviceId,
				customerId: input.customerId ?? '',
				at: input.now
			}));
		if (context.companyStatus !== 'active' || context.rateBp === null)
			return { problem: 'company_inactive' };
		rateBp = context.rateBp;
	}
	if (redeemKopecks > 0 && maxRedeem === null) return { problem: 'code_required', field: 'code' };
	if (maxRedeem !== null && redeemKopecks > maxRedeem)
		return { problem: 'over_limit', field: 'redeemKopecks' };
	return {
		ok: {
			billKopecks,
			rateBp,
			cashbackKopecks: computeCashback(billKopecks - redeemKopecks, rateBp),
			maxRedeemKopecks: maxRedeem,
			redeemKopecks,
			payKopecks: input.receipt.totalKopecks - redeemKopecks,
			balanceKopecks: balance,
			lines: discountLines(input.receipt.lines ?? [], redeemKopecks)
		}
	};
}

/**
 * The sale's operation ID: a UUID v7 at the sale's time whose other bits come from the key
 * and the request's Idempotency-Key, so a repeat of the request is the same operation for
 * payments.sync too (its duplicate/conflict answer), even without the stored answer.
 */
export function saleOperationId(keyId: string, idempotencyKey: string, at: Date): string {
	const h = createHash('sha256').update(`${keyId}\n${idempotencyKey}`).digest('hex');
	const ms = at.getTime().toString(16).padStart(12, '0');
	const variant = ((parseInt(h[3]!, 16) & 0x3) | 0x8).toString(16);
	return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${h.slice(0, 3)}-${variant}${h.slice(4, 7)}-${h.slice(7, 19)}`;
}

/** Records a sale: payments.sync without redemption, payments.redeem with it (code needed). */
export async function recordSale(
	db: Kysely<Database>,
	who: ApiPrincipal,
	input: {
		idempotencyKey: string;
		customerId: string;
		code?: string;
		receipt: Receipt;
		redeemKopecks?: number;
		occurredAt?: string;
		now: Date;
	}
): Promise<
	Result<{
		outcome: 'accepted' | 'duplicate';
		operation: TillOperation;
		payKopecks: number;
		balanceKopecks: number | null;
		lines: ReturnType<typeof discountLines>;
	}>
> {
	const mismatch = receiptProblem(input.receipt);
	if (mismatch) return { problem: mismatch, field: 'receipt.lines' };
	const { billKopecks, redeemableKopecks } = receiptBases(input.receipt);
	if (billKopecks < 1) return { problem: 'amount_out_of_range', field: 'receipt' };
	const occurredAt = input.occurredAt ?? input.now.toISOString();
	const id = saleOperationId(who.keyId, input.idempotencyKey, new Date(occurredAt));
	const redeemKopecks = input.redeemKopecks ?? 0;
	let outcome: 'accepted' | 'duplicate';
	let balance: number | null = null;
	if (redeemKopecks > 0) {
		if (!input.code) return { problem: 'code_required', field: 'code' };
		if (redeemKopecks > redeemableKopecks) return { problem: 'over_limit', field: 'redeemKopecks' };
		const answer = await redeem(db, {
			id,
			companyId: who.companyId,
			deviceId: who.deviceId,
			customerId: input.customerId,
			code: input.code,
			billKopecks,
			redeemKopecks,
			occurredAt,
			createdBy: null,
			now: input.now,
			key: getSecretKey(),
			sender
		});
		if (answer.outcome === 'conflict') return { problem: 'operation_conflict' };
		if (answer.outcome === 'rejected')
			return { problem: answer.reason, field: fieldOf(answer.reason) };
		outcome = answer.outcome;
		balance = balanceOrNull(answer.operation.balanceKopecks);
		await keepLines(db, who, id, input.receipt);
	} else {
		// The counter's own door: concurrent sales share one transaction (services/sync-coalescer.ts),
		// each answered exactly as it would be alone.
		const [answer] = await coalescedSync(db, {
			companyId: who.companyId,
			deviceId: who.deviceId,
			operations: [{ id, customerId: input.customerId, amountKopecks: billKopecks, occurredAt }],
			createdBy: null,
			now: input.now
		});
		if (!answer) throw new Error('sync: no answer');
		if (answer.outcome === 'conflict') return { problem: 'operation_conflict' };
		if (answer.outcome === 'rejected')
			return { problem: answer.reason, field: fieldOf(answer.reason) };
		await keepLines(db, who, id, input.receipt);
		// Its content matched what was sent (else a conflict): the stored operation is this one.
		const stored = answer.operation;
		return {
			ok: {
				outcome: answer.outcome,
				operation: {
					id,
					kind: 'payment',
					customerId: input.customerId,
					amountKopecks: stored.amountKopecks,
					rateBp: stored.rateBp,
					cashbackKopecks: stored.cashbackKopecks,
					redeemedKopecks: 0,
					occurredAt: new Date(occurredAt).toISOString(),
					reversesId: null,
					heldKopecks: stored.held?.cashbackKopecks ?? null
				},
				payKopecks: input.receipt.totalKopecks,
				balanceKopecks: null,
				lines: discountLines(input.receipt.lines ?? [], 0)
			}
		};
	}
	const operation = await getTillOperation(db, who.companyId, id);
	if (!operation) throw new Error(`sale ${id}: stored but not found`);
	return {
		ok: {
			outcome,
			operation,
			payKopecks: input.receipt.totalKopecks - operation.redeemedKopecks,
			balanceKopecks: balance,
			lines: discountLines(input.receipt.lines ?? [], operation.redeemedKopecks)
		}
	};
}

/** A stored sale's receipt lines, for refunds by lines (a repeat fills in what is missing). */
async function keepLines(db: Kysely<Database>, who: ApiPrincipal, id: string, receipt: Receipt) {
	if (receipt.lines?.length)
		await insertSaleLines(db, { operationId: id, companyId: who.companyId, lines: receipt.lines });
}

function fieldOf(reason: string): string | undefined {
	if (reason === 'unknown_customer') return 'customerId';
	if (['bad_code', 'code_used', 'code_locked'].includes(reason)) return 'code';
	if (['insufficient_balance', 'over_limit'].includes(reason)) return 'redeemKopecks';
	if (['occurred_in_future', 'too_old', 'operation_id_out_of_range'].includes(reason))
		return 'occurredAt';
	if (reason === 'amount_out_of_range' || reason.startsWith('over_')) return 'receipt.totalKopecks';
	return undefined;
}

export { refundSale } from './till-refund';
