import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/types';
import { getBalanceForUpdate, moveBalance } from './balances';
import { applyToSummaries, summarySlot } from './summaries';
import { holdForRefund } from './holds';
import { cancelPending, pendingOfPayment } from './pending-cashback';

/** How long after a payment it can still be refunded. */
export const REFUND_WINDOW_DAYS = 30;

export type RefundError =
	'not_found' | 'not_refundable' | 'too_old' | 'already_refunded' | 'cashback_spent';

/**
 * Reverses a payment of this company: a `refund` row linked to it (reverses_id) with minus its
 * amount, minus its stored cashback — not recomputed, so the customer loses exactly what was
 * credited — and minus its redeemed part (the cashback spent on it goes back to the balance).
 * Only whole payments are refunded (a partial refund is a refund plus a new payment). The
 * balance moves in the same transaction; a refund whose accrual the customer has already spent
 * elsewhere (the balance would go below zero) is refused, `cashback_spent`. The refund's ID is
 * derived from the payment's (`operation_refund_id`, migration 0008; a CHECK holds every refund
 * to it), so a second refund finds the first; if two race, the primary key lets one through
 * and the other does nothing.
 */
export async function refundPayment(
	trx: Transaction<Database>,
	input: {
		companyId: number;
		operationId: string;
		reason: string;
		userId: string | null;
		/** At a terminal (SPEC C10): who refunds, in which shift; only the terminal's own payments. */
		atCounter?: {
			deviceId: string;
			cashierId: string;
			shiftId: string | null;
			maxAgeHours: number;
		};
	}
): Promise<
	| { ok: true; refund: { id: string; amountKopecks: number; cashbackKopecks: number } }
	| {
			ok: false;
			error: RefundError;
	  }
> {
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
			'campaign_kopecks', // issue 22: the campaign part goes back with the cashback
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
		.executeTakeFirst();
	if (!original) return { ok: false, error: 'not_found' };
	if (original.kind !== 'payment') return { ok: false, error: 'not_refundable' };
	if (!original.recent) return { ok: false, error: 'too_old' };
	// Cashback held for review (0012): a released one is taken back too; a waiting one is
	// cancelled by the refund, so it never reaches the balance.
	const hold = await holdForRefund(trx, original.id);
	const cashbackKopecks = original.cashback_kopecks + hold.releasedKopecks;
	// What the customer's balance gains (the redeemed part back) minus what it loses (the accrual).
	const balanceDelta = original.redeemed_kopecks - cashbackKopecks;
	// --- issue 22 (hold period): the share of the refunded cashback still pending is cancelled,
	// not taken from the available balance. A function of the refunded cashback (kopecks), so
	// a partial refund passes its own share.
	const pendingShare = Math.min(cashbackKopecks, await pendingOfPayment(trx, original.id));
	// --- end issue 22
	if (balanceDelta + pendingShare < 0) {
		// Under the balance row's lock: a refund of this payment committed meanwhile is seen here.
		const balance = await getBalanceForUpdate(trx, original.customer_id);
		const refunded = await trx
			.selectFrom('operations')
			.select('id')
			.where('reverses_id', '=', original.id)
			.executeTakeFirst();
		if (refunded) return { ok: false, error: 'already_refunded' };
		if (balance + balanceDelta + pendingShare < 0) return { ok: false, error: 'cashback_spent' };
	}
	const refund = await trx
		.insertInto('operations')
		.values({
			id: sql<string>`operation_refund_id(${original.id}::uuid)`,
			kind: 'refund',
			company_id: input.companyId,
			device_id: input.atCounter?.deviceId ?? null,
			cashier_id: input.atCounter?.cashierId ?? null,
			shift_id: input.atCounter?.shiftId ?? null,
			customer_id: original.customer_id,
			amount_kopecks: -original.amount_kopecks,
			rate_bp: original.rate_bp,
			cashback_kopecks: -cashbackKopecks,
			redeemed_kopecks: -original.redeemed_kopecks,
			campaign_kopecks: -original.campaign_kopecks, // issue 22
			occurred_at: sql<Date>`now()`,
			content_hash: `refund:${original.id}`,
			reverses_id: original.id,
			reason: input.reason,
			created_by: input.userId
		})
		.onConflict((oc) => oc.column('id').doNothing())
		.returning([
			'id',
			'amount_kopecks as amountKopecks',
			'cashback_kopecks as cashbackKopecks',
			'occurred_at as occurredAt'
		])
		.executeTakeFirst();
	if (!refund) return { ok: false, error: 'already_refunded' };
	await hold.afterRefund(input.userId);
	await cancelPending(trx, original.id, pendingShare); // issue 22
	// Covered: checked above under the row lock. A null here would be a broken invariant.
	if ((await moveBalance(trx, original.customer_id, balanceDelta)) === null) {
		throw new Error(`refund ${refund.id}: balance of ${original.customer_id} not covered`);
	}
	await applyToSummaries(trx, [
		{
			companyId: input.companyId,
			kind: 'refund',
			occurredAt: new Date(refund.occurredAt),
			amountKopecks: refund.amountKopecks,
			cashbackKopecks: refund.cashbackKopecks,
			redeemedKopecks: -original.redeemed_kopecks,
			campaignKopecks: -original.campaign_kopecks, // issue 22
			slot: summarySlot(input.atCounter?.deviceId)
		}
	]);
	return {
		ok: true,
		refund: {
			id: refund.id,
			amountKopecks: refund.amountKopecks,
			cashbackKopecks: refund.cashbackKopecks
		}
	};
}
