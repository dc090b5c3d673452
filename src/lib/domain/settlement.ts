/**
 * Settlement statement figures (SPEC C11), pure: from the ledger's signed sums of a section to
 * what a statement shows, and who pays whom. Amounts are integer kopecks.
 *
 * The company owes the platform the cashback its customers earned there (accrued, less what
 * refunds reversed); the platform owes the company the cashback its customers spent there
 * (redeemed, less what refunds gave back). Net = accrued − reversed − redeemed + redemption
 * reversals: positive, the company pays the platform; negative, the platform pays the company.
 */

/** Signed ledger sums of a set of operations, split by kind. */
export interface LedgerSums {
	payments: number;
	paymentAmountKopecks: number;
	accruedKopecks: number;
	redeemedKopecks: number;
	refunds: number;
	refundAmountKopecks: number;
	/** <= 0, as in the ledger. */
	refundCashbackKopecks: number;
	/** <= 0, as in the ledger. */
	refundRedeemedKopecks: number;
	/** Issue 22: expired cashback (<= 0, as in the ledger); absent before it. */
	expiredKopecks?: number;
	/** Issue 22: the campaign part of accrued cashback, net of refunds; absent before it. */
	campaignKopecks?: number;
}

export interface StatementFigures {
	/** Payments and refunds. */
	operations: number;
	payments: number;
	refunds: number;
	/** Bills less refunded bills. */
	turnoverKopecks: number;
	accruedKopecks: number;
	/** Cashback taken back by refunds (>= 0). */
	reversedKopecks: number;
	/** Cashback spent at the company (>= 0). */
	redeemedKopecks: number;
	/** Redeemed cashback given back by refunds (>= 0). */
	redemptionsReversedKopecks: number;
	/** accrued − reversed − redeemed + redemptionsReversed. */
	netKopecks: number;
	/**
	 * Issue 22, shown apart and outside the net: the campaign part of the cashback (net of
	 * refunds; inside accrued) and the cashback that expired (>= 0: what the platform no longer
	 * owes customers). Absent from statements frozen before them.
	 */
	campaignKopecks?: number;
	expiredKopecks?: number;
}

export type Payer = 'company' | 'platform' | 'none';

export const ZERO_FIGURES: StatementFigures = {
	operations: 0,
	payments: 0,
	refunds: 0,
	turnoverKopecks: 0,
	accruedKopecks: 0,
	reversedKopecks: 0,
	redeemedKopecks: 0,
	redemptionsReversedKopecks: 0,
	netKopecks: 0,
	campaignKopecks: 0,
	expiredKopecks: 0
};

/**
 * The campaign part of the cashback (issue 22): the raised rate's share of what was accrued,
 * net of what refunds took back of it (a refund's row carries minus its share). One definition
 * for the statements, the operations list's totals and its CSV.
 */
export function campaignOf(sums: Pick<LedgerSums, 'campaignKopecks'>): number {
	return sums.campaignKopecks ?? 0;
}

/** A section's figures from its ledger sums. */
export function figuresOf(sums: LedgerSums): StatementFigures {
	const reversedKopecks = -sums.refundCashbackKopecks;
	const redemptionsReversedKopecks = -sums.refundRedeemedKopecks;
	return {
		operations: sums.payments + sums.refunds,
		payments: sums.payments,
		refunds: sums.refunds,
		turnoverKopecks: sums.paymentAmountKopecks + sums.refundAmountKopecks,
		accruedKopecks: sums.accruedKopecks,
		reversedKopecks,
		redeemedKopecks: sums.redeemedKopecks,
		redemptionsReversedKopecks,
		netKopecks:
			sums.accruedKopecks - reversedKopecks - sums.redeemedKopecks + redemptionsReversedKopecks,
		campaignKopecks: campaignOf(sums),
		expiredKopecks: 0 - (sums.expiredKopecks ?? 0)
	};
}

/** Figures added up (a statement's total of its own month and its late sections). */
export function addFigures(...all: StatementFigures[]): StatementFigures {
	const total = { ...ZERO_FIGURES };
	for (const f of all) {
		for (const key of Object.keys(total) as (keyof StatementFigures)[])
			total[key] = (total[key] ?? 0) + (f[key] ?? 0);
	}
	return total;
}

/**
 * The headline money figures of any period (the operator's overview, «Кэшбэк по компаниям»,
 * the X-report): bills, cashback accrued and cashback paid with, each net of refunds (a
 * refund's row carries minus its payment's figures). One definition for every screen, so the
 * same operations show the same three numbers wherever they are summed; the labels say
 * «за вычетом возвратов».
 */
export interface NetFigures {
	turnoverKopecks: number;
	accruedKopecks: number;
	redeemedKopecks: number;
	/** Of accruedKopecks, the campaign part (campaignOf), net of refunds like it. */
	campaignKopecks: number;
}

export function netFiguresOf(sums: LedgerSums): NetFigures {
	return {
		turnoverKopecks: sums.paymentAmountKopecks + sums.refundAmountKopecks,
		accruedKopecks: sums.accruedKopecks + sums.refundCashbackKopecks,
		redeemedKopecks: sums.redeemedKopecks + sums.refundRedeemedKopecks,
		campaignKopecks: campaignOf(sums)
	};
}

/** Who pays whom for a net. */
export function payerOf(netKopecks: number): Payer {
	return netKopecks > 0 ? 'company' : netKopecks < 0 ? 'platform' : 'none';
}

/**
 * JSON with object keys sorted at every level and no whitespace: the one text a statement's
 * SHA-256 is taken over, whatever order its fields were built in.
 */
export function canonicalJson(value: unknown): string {
	if (value === null || typeof value !== 'object') {
		if (typeof value === 'number' && !Number.isSafeInteger(value)) {
			throw new Error('canonicalJson: only safe integers');
		}
		return JSON.stringify(value);
	}
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	const entries = Object.entries(value as Record<string, unknown>)
		.filter(([, v]) => v !== undefined)
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
