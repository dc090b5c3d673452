import { sql, type Transaction } from 'kysely';
import { refundShare, refundableKopecks } from '../../src/lib/domain/refund';
import type { Database } from '../db/types';
import { getBalanceForUpdate, moveBalance } from './balances';
import { applyToSummaries, summarySlot } from './summaries';
import { holdForRefund } from './holds';
import { cancelPending, pendingOfPayment } from './pending-cashback';
import { recordEvent } from './webhook-outbox';

/** Minus, without a -0 (a refund of nothing reverses 0, not -0). */
const neg = (kopecks: number) => 0 - kopecks;

/** How long after a payment it can still be refunded. */
export const REFUND_WINDOW_DAYS = 30;

export type RefundError =
	| 'not_found'
	| 'not_refundable'
	| 'too_old'
	| 'already_refunded'
	| 'cashback_spent'
	/** More than remains refundable of the payment (or not a positive whole number of kopecks). */
	| 'over_refund'
	/** A partial refund of a payment whose cashback still waits for review. */
	| 'cashback_held';

export interface StoredRefund {
	id: string;
	paymentId: string;
	amountKopecks: number;
	cashbackKopecks: number;
	redeemedKopecks: number;
	/** What remains refundable of the payment after this refund. */
	remainingKopecks: number;
	occurredAt: Date;
}

/**
 * Refunds a payment of this company, whole or in part (SPEC C13): a `refund` row linked to it
 * (reverses_id) with minus the refunded amount, minus its share of the cashback the payment
 * credited (the stored figure plus a released hold — not recomputed) and minus its share of the
 * redeemed part, both by src/lib/domain/refund.ts (`refundShare`: several partial refunds move
 * exactly what one full refund moves). `amountKopecks` absent: everything that remains.
 *
 * The payment row is locked first (FOR UPDATE), so refunds of one payment take turns and each
 * sees the ones before; the n-th refund's ID is `operation_refund_id(payment, n)` (0020), so two
 * that raced past the lock would still meet the primary key. A refund that would take the
 * balance below zero (the accrual was spent elsewhere) is refused, `cashback_spent`; a fully
 * refunded payment answers `already_refunded`.
 */
export async function refundPayment(
	trx: Transaction<Database>,
	input: {
		companyId: number;
		operationId: string;
		reason: string;
		userId: string | null;
		/** The part of the bill to refund; absent: all that remains. */
		amountKopecks?: number;
		/** The till API (SPEC C13): the refund is recorded as the key's device's. */
		device?: { deviceId: string };
		/** At a terminal (SPEC C10): who refunds, in which shift; only the terminal's own payments. */
		atCounter?: {
			deviceId: string;
			cashierId: string | null;
			shiftId: string | null;
			maxAgeHours: number;
		};
	}
): Promise<{ ok: true; refund: StoredRefund } | { ok: false; error: RefundError }> {
	const original = await trx
		.selectFrom('operations')
		.select([
			'id',
			'kind',
			'customer_id',
			'amount_kopecks',
			'rate_bp',
			'cashback_kopecks',
			'redeemed_kopecks',
			'campaign_kopecks',
			input.atCounter
				? sql<boolean>`occurred_at > now() - make_interval(hours => ${input.atCounter.maxAgeHours})`.as(
						'recent'
					)
				: sql<boolean>`occurred_at > now() - make_interval(days => ${REFUND_WINDOW_DAYS})`.as(
						'recent'
					)
		])
		.where('id', '=', input.operationId)
		.where('company_id', '=', input.companyId)
		.$if(input.atCounter !== undefined, (q) => q.where('device_id', '=', input.atCounter!.deviceId))
		.forUpdate()
		.executeTakeFirst();
	if (!original) return { ok: false, error: 'not_found' };
	if (original.kind !== 'payment') return { ok: false, error: 'not_refundable' };
	if (!original.recent) return { ok: false, error: 'too_old' };
	const done = await trx
		.selectFrom('operations')
		.select([
			sql<number>`count(*)::int4`.as('count'),
			sql<number>`coalesce(-sum(amount_kopecks), 0)::int8`.as('amount'),
			sql<number>`coalesce(-sum(cashback_kopecks), 0)::int8`.as('cashback'),
			sql<number>`coalesce(-sum(redeemed_kopecks), 0)::int8`.as('redeemed'),
			sql<number>`coalesce(-sum(campaign_kopecks), 0)::int8`.as('campaign')
		])
		.where('reverses_id', '=', original.id)
		.where('kind', '=', 'refund')
		.executeTakeFirstOrThrow();
	const payment = {
		amountKopecks: original.amount_kopecks,
		cashbackKopecks: original.cashback_kopecks,
		redeemedKopecks: original.redeemed_kopecks,
		campaignKopecks: original.campaign_kopecks
	};
	const before = {
		amountKopecks: Number(done.amount),
		cashbackKopecks: Number(done.cashback),
		redeemedKopecks: Number(done.redeemed),
		campaignKopecks: Number(done.campaign)
	};
	const remaining = refundableKopecks({ payment, before });
	if (remaining === 0) return { ok: false, error: 'already_refunded' };
	const amount = input.amountKopecks ?? remaining;
	// Cashback held for review (0012): a released one is reversed too; a waiting one is
	// cancelled by the refund that ends the payment, so it never reaches the balance. A part of
	// a payment whose cashback still waits is refunded after the decision.
	const hold = await holdForRefund(trx, original.id);
	if (hold.waiting && amount < remaining) return { ok: false, error: 'cashback_held' };
	const share = refundShare(
		{
			payment: { ...payment, cashbackKopecks: payment.cashbackKopecks + hold.releasedKopecks },
			before
		},
		amount
	);
	if (!share) return { ok: false, error: 'over_refund' };
	// What the customer's balance gains (the redeemed part back) minus what it loses (the accrual).
	const balanceDelta = share.redeemedKopecks - share.cashbackKopecks;
	// Hold period (issue 22): the part of this refund's cashback still pending is cancelled, not
	// taken from the available balance.
	const pendingShare = Math.min(share.cashbackKopecks, await pendingOfPayment(trx, original.id));
	// The available balance (pending excluded), under the balance row's lock — taken always and
	// before the summaries step below, the order a sync takes them in (its balances, then its
	// summaries): a refund cancelling pending after its summaries step (statement-holds.ts) and
	// a sync of the same customer and company would otherwise deadlock.
	const available = await getBalanceForUpdate(trx, original.customer_id);
	if (available + balanceDelta + pendingShare < 0) return { ok: false, error: 'cashback_spent' };
	const seq = Number(done.count) + 1;
	const refund = await trx
		.insertInto('operations')
		.values({
			id: sql<string>`operation_refund_id(${original.id}::uuid, ${seq}::int4)`,
			kind: 'refund',
			company_id: input.companyId,
			device_id: input.atCounter?.deviceId ?? input.device?.deviceId ?? null,
			cashier_id: input.atCounter?.cashierId ?? null,
			shift_id: input.atCounter?.shiftId ?? null,
			customer_id: original.customer_id,
			amount_kopecks: neg(share.amountKopecks),
			rate_bp: original.rate_bp,
			cashback_kopecks: neg(share.cashbackKopecks),
			redeemed_kopecks: neg(share.redeemedKopecks),
			campaign_kopecks: neg(share.campaignKopecks),
			occurred_at: sql<Date>`now()`,
			content_hash: seq === 1 ? `refund:${original.id}` : `refund:${original.id}:${seq}`,
			reverses_id: original.id,
			reason: input.reason,
			created_by: input.userId
		})
		.onConflict((oc) => oc.column('id').doNothing())
		.returning(['id', 'occurred_at as occurredAt'])
		.executeTakeFirst();
	if (!refund) return { ok: false, error: 'already_refunded' };
	if (share.amountKopecks === remaining) await hold.afterRefund(input.userId);
	await applyToSummaries(trx, [
		{
			companyId: input.companyId,
			kind: 'refund',
			occurredAt: new Date(refund.occurredAt),
			amountKopecks: neg(share.amountKopecks),
			cashbackKopecks: neg(share.cashbackKopecks),
			redeemedKopecks: neg(share.redeemedKopecks),
			campaignKopecks: neg(share.campaignKopecks),
			slot: summarySlot(input.atCounter?.deviceId ?? input.device?.deviceId)
		}
	]);
	// After the summaries step, which holds the company's books: a close either waits for this
	// cancellation or comes before it, so its frozen pending figure is exact (statement-holds.ts).
	await cancelPending(trx, original.id, pendingShare, refund.id);
	// Covered: checked above under the row lock (the pending part just cancelled). A null here
	// would be a broken invariant.
	if ((await moveBalance(trx, original.customer_id, balanceDelta)) === null) {
		throw new Error(`refund ${refund.id}: balance of ${original.customer_id} not covered`);
	}
	// The webhook outbox (SPEC C14), in this transaction.
	await recordEvent(trx, {
		companyId: input.companyId,
		type: 'operation.refunded',
		data: {
			refundId: refund.id,
			operationId: original.id,
			companyId: input.companyId,
			customerId: original.customer_id,
			full: share.amountKopecks === remaining,
			amountKopecks: share.amountKopecks,
			cashbackKopecks: share.cashbackKopecks,
			redeemedKopecks: share.redeemedKopecks,
			refundedAt: new Date(refund.occurredAt).toISOString()
		}
	});
	return {
		ok: true,
		refund: {
			id: refund.id,
			paymentId: original.id,
			amountKopecks: neg(share.amountKopecks),
			cashbackKopecks: neg(share.cashbackKopecks),
			redeemedKopecks: neg(share.redeemedKopecks),
			remainingKopecks: remaining - share.amountKopecks,
			occurredAt: new Date(refund.occurredAt)
		}
	};
}
