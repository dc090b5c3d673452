/**
 * A till's receipt (SPEC C13, the till API's quote and sale): what of it is a Kopek operation
 * and how a sum paid with cashback spreads over its lines.
 *
 * - Lines excluded from cashback (`noCashback`) are outside the loyalty operation: Kopek
 *   records the receipt total minus them as the operation's bill (they earn nothing and take
 *   no cashback payment either).
 * - Lines excluded from redemption (`noRedeem`) earn cashback but take no discount: the most
 *   payable with cashback is also bounded by the sum of the other lines.
 * - The redeemed sum is a discount spread over the redeemable lines in proportion to their
 *   amounts, largest remainder first, so the discounts add up exactly to the redeemed sum
 *   (54-FZ: the receipt shows prices after the discount).
 */
export interface ReceiptLine {
	name: string;
	quantity: number;
	priceKopecks: number;
	amountKopecks: number;
	noCashback?: boolean;
	noRedeem?: boolean;
}

export interface Receipt {
	totalKopecks: number;
	lines?: readonly ReceiptLine[];
}

/** The loyalty operation's bill and the part of it that may be paid with cashback. */
export function receiptBases(receipt: Receipt): { billKopecks: number; redeemableKopecks: number } {
	const lines = receipt.lines ?? [];
	const outside = lines.filter((l) => l.noCashback).reduce((s, l) => s + l.amountKopecks, 0);
	const fixed = lines
		.filter((l) => !l.noCashback && l.noRedeem)
		.reduce((s, l) => s + l.amountKopecks, 0);
	const billKopecks = receipt.totalKopecks - outside;
	return { billKopecks, redeemableKopecks: Math.max(0, billKopecks - fixed) };
}

/** Why a receipt cannot be quoted: its lines do not add up to its total. */
export function receiptProblem(receipt: Receipt): 'lines_total_mismatch' | null {
	if (!receipt.lines || receipt.lines.length === 0) return null;
	const sum = receipt.lines.reduce((s, l) => s + l.amountKopecks, 0);
	return sum === receipt.totalKopecks ? null : 'lines_total_mismatch';
}

/**
 * Spreads `discount` over `weights` (non-negative integers, sum ≥ discount when positive) in
 * proportion, each share floored, then the kopecks left over go one each to the largest
 * remainders (ties: the earlier line). The shares add up to `discount` exactly and none
 * exceeds its weight.
 */
export function allocateDiscount(weights: readonly number[], discount: number): number[] {
	const total = weights.reduce((s, w) => s + w, 0);
	if (discount === 0 || total === 0) return weights.map(() => 0);
	if (discount > total) throw new RangeError('discount larger than the lines it spreads over');
	const exact = weights.map((w) => {
		const num = BigInt(w) * BigInt(discount);
		return { floor: Number(num / BigInt(total)), rest: num % BigInt(total) };
	});
	let left = discount - exact.reduce((s, e) => s + e.floor, 0);
	const order = exact
		.map((e, i) => ({ i, rest: e.rest }))
		.sort((a, b) => (a.rest === b.rest ? a.i - b.i : a.rest > b.rest ? -1 : 1));
	const shares = exact.map((e) => e.floor);
	for (const { i } of order) {
		if (left === 0) break;
		shares[i]! += 1;
		left -= 1;
	}
	return shares;
}

/** Each line's discount and amount after it; lines excluded from redemption keep theirs. */
export function discountLines(lines: readonly ReceiptLine[], redeemedKopecks: number) {
	const weights = lines.map((l) => (l.noCashback || l.noRedeem ? 0 : l.amountKopecks));
	const shares = allocateDiscount(weights, redeemedKopecks);
	return lines.map((l, i) => ({
		name: l.name,
		amountKopecks: l.amountKopecks,
		discountKopecks: shares[i]!,
		discountedAmountKopecks: l.amountKopecks - shares[i]!
	}));
}
