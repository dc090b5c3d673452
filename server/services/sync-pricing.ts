import {
	computeCashback,
	MAX_AMOUNT_KOPECKS,
	MIN_AMOUNT_KOPECKS
} from '../../src/lib/domain/money';
import type { OperationIdReason } from '../../src/lib/domain/operation-id';
import { contentHash, type PricedPayment } from '../repositories/operations';
import type { SyncBatchContext } from '../repositories/sync-batch';
import { moneyLimitReason, type MoneyLimitReason } from './money-limits';
import { refuseBadOperationIds } from './operation-ids';
import type { GroupReview, ReviewedCall } from './review-rules';
import { attributionFrom, type SyncSender } from './terminal-sync';

/*
 * The pricing half of payments.sync (payment-sync.ts stores and answers): a call's operations
 * normalised and checked, then priced against the group's opening statement — every refusal,
 * the rate, the cashback, the money limits and the review rules' verdict.
 */

/** How far ahead of the server's clock an operation may claim to have happened. */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;
/** How old an operation may be when it first reaches the server. */
export const MAX_AGE_MS = 30 * 24 * 3600 * 1000;

export type RejectReason =
	| 'unknown_customer'
	| 'company_inactive'
	| 'device_not_registered'
	| 'amount_out_of_range'
	| 'occurred_in_future'
	| 'too_old'
	| 'terminal_revoked'
	| 'unknown_cashier'
	| OperationIdReason
	| MoneyLimitReason;

/** An operation as the device sends it (already validated for shape by the router). */
export interface IncomingOperation {
	id: string;
	customerId: string;
	amountKopecks: number;
	/** ISO 8601 with an offset. */
	occurredAt: string;
	/** The cashier and shift that took it at a paired terminal (SPEC C10). */
	cashierId?: string | null;
	shiftId?: string | null;
}

/** One device's sync call, as the router hands it over. */
export interface SyncCall {
	companyId: number;
	deviceId: string;
	operations: readonly IncomingOperation[];
	createdBy: string | null;
	/** A paired terminal, when it is one that sends (absent: the admin's own counter). */
	sender?: SyncSender;
	now?: Date;
}

/** A call's operations, normalised and hashed, with the refusals that need no lookup. */
export function prepare(call: SyncCall) {
	const now = call.now ?? new Date();
	const deviceId = call.deviceId.toLowerCase();
	const ops = call.operations.map((op) => {
		const occurredAt = new Date(op.occurredAt);
		const normalized = {
			id: op.id.toLowerCase(),
			customerId: op.customerId,
			amountKopecks: op.amountKopecks,
			occurredAt,
			cashierId: op.cashierId?.toLowerCase() ?? null,
			shiftId: op.shiftId?.toLowerCase() ?? null
		};
		const hash = contentHash({ companyId: call.companyId, deviceId, ...normalized });
		return { ...normalized, occurredAtIso: occurredAt.toISOString(), sentId: op.id, hash };
	});
	const reasons = new Map<number, RejectReason>();
	ops.forEach((op, i) => {
		if (op.amountKopecks < MIN_AMOUNT_KOPECKS || op.amountKopecks > MAX_AMOUNT_KOPECKS)
			reasons.set(i, 'amount_out_of_range');
		else if (op.occurredAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
			reasons.set(i, 'occurred_in_future');
		else if (op.occurredAt.getTime() < now.getTime() - MAX_AGE_MS) reasons.set(i, 'too_old');
	});
	refuseBadOperationIds(ops, now, reasons, { futureMs: FUTURE_TOLERANCE_MS, maxAgeMs: MAX_AGE_MS });
	const reviewed: ReviewedCall = {
		companyId: call.companyId,
		deviceId,
		sender: call.sender ?? { terminal: null },
		now,
		ops,
		refused: (i) => reasons.has(i)
	};
	return { call, now, deviceId, ops, reasons, reviewed };
}
export type PreparedCall = ReturnType<typeof prepare>;
/** The distinct customers of a call's operations that price() found unknown. */
export function unknownCustomers({ call, ops, reasons }: PreparedCall) {
	const unknownIds = new Set<string>();
	ops.forEach((op, i) => reasons.get(i) === 'unknown_customer' && unknownIds.add(op.customerId));
	return { companyId: call.companyId, unknownIds };
}

/** A priced payment and the index of the call in its group that sent it. */
export type GroupRow = PricedPayment & { call: number };
// (A held row carries its cashback in heldKopecks and 0 in cashbackKopecks.)

/**
 * Prices the operations of the group's `index`th call that pass every check into `rows` (one
 * per ID across the group: a repeated ID is inserted once, by the first call that sends it
 * well-formed) and records the refusals.
 */
export function price(
	{ call, deviceId, ops, reasons, reviewed }: PreparedCall,
	index: number,
	context: SyncBatchContext,
	rows: GroupRow[],
	seen: Set<string>,
	review: GroupReview
): void {
	// A batch-wide refusal outranks the per-operation ones.
	const batchReason: RejectReason | null = !context.hasDevice(call.companyId, deviceId)
		? 'device_not_registered'
		: context.companyStatus(call.companyId) !== 'active'
			? 'company_inactive'
			: null;
	if (batchReason) ops.forEach((_, i) => reasons.set(i, batchReason));
	const attribution = attributionFrom({
		deviceId,
		sender: call.sender ?? { terminal: null },
		ops,
		hasCashier: (id) => context.hasCashier(call.companyId, id)
	});
	for (const [i, reason] of attribution) if (!reasons.has(i)) reasons.set(i, reason);
	ops.forEach((op, i) => {
		if (reasons.has(i)) return;
		if (!context.customerNames.has(op.customerId)) return reasons.set(i, 'unknown_customer');
		const rateBp = context.rateAt(call.companyId, op.occurredAt);
		// No contracted rate yet at that moment: the company could not take payments then.
		if (rateBp === null) return reasons.set(i, 'company_inactive');
		const contractRateBp = rateBp;
		// Issue 22: the highest campaign in force at its occurredAt (one domain rule, as offline).
		const offer = context.campaignRate(call.companyId, contractRateBp, op.occurredAt);
		const cashbackKopecks = computeCashback(op.amountKopecks, offer.rateBp);
		const campaignKopecks =
			offer.campaignId === null
				? 0
				: cashbackKopecks - computeCashback(op.amountKopecks, contractRateBp);
		const overLimit = moneyLimitReason(
			context.moneyLimits(call.companyId),
			op.amountKopecks,
			cashbackKopecks
		);
		if (overLimit) return reasons.set(i, overLimit);
		const verdict = review.judge(index, reviewed, i);
		if (verdict && 'refuse' in verdict) return reasons.set(i, verdict.refuse);
		if (seen.has(op.id)) return;
		seen.add(op.id);
		review.count(reviewed, i);
		// Nothing to hold without cashback (a 0 % rate): stored like any other.
		const hold = cashbackKopecks > 0 ? verdict?.hold : undefined;
		rows.push({
			call: index,
			id: op.id,
			companyId: call.companyId,
			deviceId,
			createdBy: call.createdBy,
			customerId: op.customerId,
			amountKopecks: op.amountKopecks,
			rateBp: offer.rateBp,
			cashbackKopecks: hold ? 0 : cashbackKopecks,
			...(offer.campaignId !== null
				? { campaignId: offer.campaignId, campaignKopecks: hold ? 0 : campaignKopecks }
				: {}),
			...(hold ? { heldKopecks: cashbackKopecks, holdReason: hold } : {}),
			occurredAt: op.occurredAtIso,
			contentHash: op.hash,
			cashierId: op.cashierId,
			shiftId: op.shiftId
		});
	});
}
