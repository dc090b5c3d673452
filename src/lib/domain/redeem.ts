import { MAX_RATE_BP } from './money';

/**
 * The most of a bill payable with cashback: the company's share of it (basis points, rounded
 * down so the limit is never exceeded by a kopeck), and no more than the balance. The counter
 * and the server both use it.
 */
export function maxRedeemKopecks(
	billKopecks: number,
	redeemMaxBp: number,
	balance: number
): number {
	const limit = Math.floor((billKopecks * redeemMaxBp) / MAX_RATE_BP);
	return Math.max(0, Math.min(limit, balance));
}
