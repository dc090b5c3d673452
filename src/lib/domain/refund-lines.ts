import { proportion } from './refund';

/**
 * Refunds by lines (SPEC C13): which part of a sale's bill the named receipt lines are, checked
 * against what was sold and already refunded by lines. The refund itself — its share of the
 * cashback and of the redeemed part, the total never past the bill — is the one refund of
 * refund.ts (`refundShare`); this only turns lines into its amount.
 *
 * Quantities are in thousandths (54-FZ: at most three decimals). Like `refundShare`, a line's
 * part is computed from its running refunded quantity: after `q` of its `Q` units the refunds
 * have taken back `round(amount·q/Q)`, so refunding a line in any pieces takes back exactly its
 * amount. Lines excluded from cashback (`noCashback`) were never part of the Kopek operation,
 * so they cannot be refunded through it.
 */
export interface SoldLine {
	/** The line's number in the sale's receipt, from 1. */
	line: number;
	quantityMilli: number;
	amountKopecks: number;
	noCashback: boolean;
	/** What the refunds before took back of this line. */
	refundedMilli: number;
}

export interface LineRequest {
	line: number;
	/** Absent: all that remains of the line. */
	quantityMilli?: number;
}

export interface RefundedLine {
	line: number;
	quantityMilli: number;
	amountKopecks: number;
}

export type LinesRefundError =
	| 'unknown_line'
	| 'duplicate_line'
	| 'line_not_refundable'
	| 'line_over_refund'
	| 'nothing_to_refund';

export type LinesRefund =
	| { ok: true; amountKopecks: number; lines: RefundedLine[] }
	| { ok: false; error: LinesRefundError; index?: number };

/** Thousandths of a quantity (the API's quantities are multiples of 0.001). */
export const toMilli = (quantity: number) => Math.round(quantity * 1000);

export function refundLines(
	sold: readonly SoldLine[],
	request: readonly LineRequest[]
): LinesRefund {
	const byLine = new Map(sold.map((s) => [s.line, s]));
	const seen = new Set<number>();
	const lines: RefundedLine[] = [];
	for (const [index, r] of request.entries()) {
		const s = byLine.get(r.line);
		if (!s) return { ok: false, error: 'unknown_line', index };
		if (seen.has(r.line)) return { ok: false, error: 'duplicate_line', index };
		seen.add(r.line);
		if (s.noCashback) return { ok: false, error: 'line_not_refundable', index };
		const left = s.quantityMilli - s.refundedMilli;
		const quantityMilli = r.quantityMilli ?? left;
		if (!Number.isSafeInteger(quantityMilli) || quantityMilli < 1 || quantityMilli > left)
			return { ok: false, error: 'line_over_refund', index };
		const cum = s.refundedMilli + quantityMilli;
		const amountKopecks =
			proportion(s.amountKopecks, cum, s.quantityMilli) -
			proportion(s.amountKopecks, s.refundedMilli, s.quantityMilli);
		lines.push({ line: r.line, quantityMilli, amountKopecks });
	}
	const amountKopecks = lines.reduce((sum, l) => sum + l.amountKopecks, 0);
	if (amountKopecks < 1) return { ok: false, error: 'nothing_to_refund' };
	return { ok: true, amountKopecks, lines };
}
