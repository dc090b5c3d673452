import { recordEvent } from '../repositories/webhook-outbox';
import type { Kysely, Transaction } from 'kysely';
import { computeCashback } from '../../src/lib/domain/money';
import { operationIdReason } from '../../src/lib/domain/operation-id';
import { maxRedeemKopecks } from '../../src/lib/domain/redeem';
import type { Database } from '../db/types';
import { getBalance, spendBalance } from '../repositories/balances';
import { addPending } from '../repositories/pending-cashback';
import { consumeOtpStep } from '../repositories/otp-codes';
import { getMoneyLimitsAt } from '../repositories/money-limits';
import {
	getRedemptionContext,
	getStoredRedemption,
	insertRedemption,
	redemptionHash
} from '../repositories/redemptions';
import { applyToSummaries, summarySlot } from '../repositories/summaries';
import { FUTURE_TOLERANCE_MS, MAX_AGE_MS } from './payment-sync';
import {
	billInRange,
	checkCode,
	contextReason,
	type Caller,
	type RedeemReason
} from './redemption-checks';
import { LookupThrottled, tallyThrottled } from './customer-probes';
import { moneyLimitReason } from './money-limits';
import { attributionReasons } from './terminal-sync';

/** The stored redemption as its answer carries it. */
export interface RedeemedOperation {
	billKopecks: number;
	redeemedKopecks: number;
	/** What the customer paid with money: the bill minus the redeemed part. */
	paidKopecks: number;
	rateBp: number;
	/** Accrued on the paid part. */
	cashbackKopecks: number;
	/** The customer's balance when answering (after this redemption). */
	balanceKopecks: number;
}

export type RedeemOutcome =
	| { outcome: 'accepted' | 'duplicate'; operation: RedeemedOperation }
	| { outcome: 'conflict' }
	| { outcome: 'rejected'; reason: RedeemReason };

/** Thrown to roll a redemption back when its ID turned out to exist already. */
class IdTaken extends Error {}

/**
 * payments.redeem: pays part of a bill with cashback, in one transaction — the code checked
 * and consumed, the balance decremented (never below zero: a conditional UPDATE and the
 * CHECK), the operation row stored with its redeemed part and the cashback on the paid part.
 * Idempotent by ID like payments.sync: the same content again answers the stored result (its
 * code is used by then, which does not matter), other content under the ID is a conflict.
 * Refusals store nothing but a wrong code's count.
 */
export async function redeem(
	db: Kysely<Database>,
	input: Caller & {
		id: string;
		redeemKopecks: number;
		/** ISO 8601 with an offset. */
		occurredAt: string;
		createdBy: string | null;
		/** The cashier and shift that take it at a paired terminal (SPEC C10), hashed with it. */
		cashierId?: string | null;
		shiftId?: string | null;
	}
): Promise<RedeemOutcome> {
	const id = input.id.toLowerCase();
	const deviceId = input.deviceId.toLowerCase();
	const occurredAt = new Date(input.occurredAt);
	const cashierId = input.cashierId?.toLowerCase() ?? null;
	const shiftId = input.shiftId?.toLowerCase() ?? null;
	const hash = redemptionHash({
		cashierId,
		shiftId,
		companyId: input.companyId,
		deviceId,
		customerId: input.customerId,
		billKopecks: input.billKopecks,
		redeemKopecks: input.redeemKopecks,
		occurredAt
	});
	const answerStored = async (trx: Kysely<Database> | Transaction<Database>) => {
		const stored = await getStoredRedemption(trx, id);
		if (!stored) return null;
		if (stored.company_id !== input.companyId || stored.content_hash !== hash)
			return { outcome: 'conflict' } as const;
		return {
			outcome: 'duplicate',
			operation: {
				billKopecks: stored.amount_kopecks,
				redeemedKopecks: stored.redeemed_kopecks,
				paidKopecks: stored.amount_kopecks - stored.redeemed_kopecks,
				rateBp: stored.rate_bp,
				cashbackKopecks: stored.cashback_kopecks,
				balanceKopecks: await getBalance(trx, stored.customer_id)
			}
		} as const;
	};

	try {
		return await db.transaction().execute(async (trx): Promise<RedeemOutcome> => {
			// A retry gets its original answer, whatever would be refused now.
			const before = await answerStored(trx);
			if (before) return before;

			const reject = (reason: RedeemReason) => ({ outcome: 'rejected', reason }) as const;
			if (
				!billInRange(input.billKopecks) ||
				!Number.isSafeInteger(input.redeemKopecks) ||
				input.redeemKopecks < 1 ||
				input.redeemKopecks > input.billKopecks
			)
				return reject('amount_out_of_range');
			if (occurredAt.getTime() > input.now.getTime() + FUTURE_TOLERANCE_MS)
				return reject('occurred_in_future');
			if (occurredAt.getTime() < input.now.getTime() - MAX_AGE_MS) return reject('too_old');
			const idReason = operationIdReason(id, input.now.getTime(), {
				futureMs: FUTURE_TOLERANCE_MS,
				maxAgeMs: MAX_AGE_MS
			});
			if (idReason) return reject(idReason);

			const context = await getRedemptionContext(trx, {
				companyId: input.companyId,
				deviceId,
				customerId: input.customerId,
				at: occurredAt
			});
			const refused = contextReason(context);
			if (refused) return reject(refused);
			const attribution = await attributionReasons(trx, {
				companyId: input.companyId,
				deviceId,
				sender: input.sender ?? { terminal: null },
				ops: [{ cashierId, occurredAt }]
			});
			const unattributed = attribution.get(0);
			if (unattributed) return reject(unattributed);
			if (input.redeemKopecks > maxRedeemKopecks(input.billKopecks, context.redeemMaxBp, Infinity))
				return reject('over_limit');
			const overMoneyLimit = moneyLimitReason(
				await getMoneyLimitsAt(trx, input.companyId),
				input.billKopecks,
				computeCashback(input.billKopecks - input.redeemKopecks, context.rateBp!)
			);
			if (overMoneyLimit) return reject(overMoneyLimit);

			const code = await checkCode(trx, { ...input, known: context.customerName !== null });
			// Under the code lock now: a same-ID retry that raced this one has committed.
			const raced = await answerStored(trx);
			if (raced) return raced;
			if (!code.ok) return reject(code.reason);

			const rateBp = context.rateBp!;
			const paidKopecks = input.billKopecks - input.redeemKopecks;
			const cashbackKopecks = computeCashback(paidKopecks, rateBp);
			// Issue 22: the part above the contract rate when a campaign raised it.
			const campaignKopecks =
				context.campaignId === null
					? 0
					: cashbackKopecks - computeCashback(paidKopecks, context.contractRateBp!);
			const balance = await spendBalance(
				trx,
				input.customerId,
				input.redeemKopecks,
				cashbackKopecks
			);
			if (balance === null) return reject('insufficient_balance');
			if (
				!(await consumeOtpStep(trx, {
					customerId: input.customerId,
					step: code.step,
					operationId: id
				}))
			)
				throw new Error('redeem: a used step passed the check under the lock');
			const inserted = await insertRedemption(trx, {
				id,
				companyId: input.companyId,
				deviceId,
				customerId: input.customerId,
				billKopecks: input.billKopecks,
				redeemKopecks: input.redeemKopecks,
				rateBp,
				cashbackKopecks,
				campaignId: context.campaignId,
				campaignKopecks,
				occurredAt,
				contentHash: hash,
				createdBy: input.createdBy,
				cashierId,
				shiftId
			});
			// The ID was taken meanwhile by another customer's operation: undo everything.
			if (!inserted) throw new IdTaken();
			// Under a hold period (issue 22) this payment's own cashback is pending, not spendable.
			const pendingKopecks = await addPending(trx, {
				operationId: id,
				paymentId: id,
				customerId: input.customerId,
				companyId: input.companyId,
				kopecks: cashbackKopecks,
				occurredAt
			});
			await applyToSummaries(trx, [
				{
					companyId: input.companyId,
					kind: 'payment',
					occurredAt,
					amountKopecks: input.billKopecks,
					cashbackKopecks,
					redeemedKopecks: input.redeemKopecks,
					campaignKopecks,
					slot: summarySlot(deviceId)
				}
			]);
			await recordEvent(trx, {
				companyId: input.companyId,
				type: 'operation.created',
				data: {
					operationId: id,
					companyId: input.companyId,
					kind: 'redemption',
					customerId: input.customerId,
					deviceId,
					cashierId: cashierId ?? null,
					billKopecks: input.billKopecks,
					redeemedKopecks: input.redeemKopecks,
					rateBp,
					cashbackKopecks,
					heldCashbackKopecks: 0,
					occurredAt: occurredAt.toISOString()
				}
			});
			return {
				outcome: 'accepted',
				operation: {
					billKopecks: input.billKopecks,
					redeemedKopecks: input.redeemKopecks,
					paidKopecks,
					rateBp,
					cashbackKopecks,
					balanceKopecks: balance - pendingKopecks
				}
			};
		});
	} catch (error) {
		if (error instanceof LookupThrottled) await tallyThrottled(db, input.companyId, input.now);
		if (!(error instanceof IdTaken)) throw error;
		const stored = await answerStored(db);
		if (!stored) throw new Error(`redeem: operation ${id} vanished`, { cause: error });
		return stored;
	}
}
