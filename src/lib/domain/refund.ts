/**
 * Partial refunds (SPEC C13): what one refund of a payment takes back, exactly and in kopecks.
 *
 * A payment of `amount` (the whole bill) credited `cashback` and was paid `redeemed` with
 * cashback. Refunds of parts of it may follow, several, never more than `amount` in total. Each
 * refund's share is computed from the running total of what has been refunded, not from its
 * own size: after refunds totalling `cum`, the customer has got back `round(redeemed·cum/amount)`
 * of the redeemed part and lost `round(cashback·cum/amount)` of the cashback, and this refund is
 * the difference from what the refunds before it moved. So any sequence of refunds that ends at
 * the whole bill moves exactly what one full refund moves, to the kopeck, and every share is
 * between 0 and the refund's own amount. The counter, «Клиенты» and the till API all refund
 * through this one function (server/repositories/refunds.ts).
 */
export interface RefundBasis {
	/** The payment: its bill, the cashback it credited (incl. a released hold), its redeemed part. */
	payment: {
		amountKopecks: number;
		cashbackKopecks: number;
		redeemedKopecks: number;
		/** The campaign part of its cashback (issue 22), within `cashbackKopecks`. */
		campaignKopecks?: number;
	};
	/** What the refunds before this one took back, as positive sums. */
	before: {
		amountKopecks: number;
		cashbackKopecks: number;
		redeemedKopecks: number;
		campaignKopecks?: number;
	};
}

export interface RefundShare {
	amountKopecks: number;
	/** Cashback this refund reverses (taken from the balance), ≥ 0. */
	cashbackKopecks: number;
	/** The redeemed part this refund gives back to the balance, ≥ 0. */
	redeemedKopecks: number;
	/** The campaign part of the cashback it reverses, ≥ 0 (statements show it apart). */
	campaignKopecks: number;
}

/** round(part · num / den) half up, in exact integer arithmetic (bigint: no overflow). */
export function proportion(part: number, num: number, den: number): number {
	const p = BigInt(part) * BigInt(num) * 2n + BigInt(den);
	return Number(p / (2n * BigInt(den)));
}

/** What remains refundable of a payment after the refunds before. */
export function refundableKopecks(basis: RefundBasis): number {
	return Math.max(0, basis.payment.amountKopecks - basis.before.amountKopecks);
}

/**
 * This refund's share, or null when `amountKopecks` is not a positive integer within what
 * remains refundable.
 */
export function refundShare(basis: RefundBasis, amountKopecks: number): RefundShare | null {
	const { payment, before } = basis;
	if (!Number.isSafeInteger(amountKopecks) || amountKopecks < 1) return null;
	if (amountKopecks > refundableKopecks(basis)) return null;
	const cum = before.amountKopecks + amountKopecks;
	const total = payment.amountKopecks;
	const cumCashback = proportion(payment.cashbackKopecks, cum, total);
	// The campaign part follows the cashback taken back, not the bill: proportional to the running
	// cashback total it never exceeds it, so no share reverses more campaign than cashback.
	const cumCampaign =
		payment.cashbackKopecks === 0
			? 0
			: proportion(payment.campaignKopecks ?? 0, cumCashback, payment.cashbackKopecks);
	return {
		amountKopecks,
		cashbackKopecks: cumCashback - before.cashbackKopecks,
		redeemedKopecks: proportion(payment.redeemedKopecks, cum, total) - before.redeemedKopecks,
		campaignKopecks: cumCampaign - (before.campaignKopecks ?? 0)
	};
}
