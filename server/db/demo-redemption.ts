import type { Transaction } from 'kysely';
import { rebuildBalances } from '../repositories/balances';
import { insertRedeemLimit } from '../repositories/redeem-limits';
import type { Database } from './types';

/** Albixe accepts cashback for up to half a bill (SPEC C9 demo). */
export const DEMO_REDEEM_MAX_BP = 5000;

/**
 * The redemption part of the demo: Albixe's limit, and the balances of the demo operations
 * (which the seed writes straight into the ledger).
 */
export async function seedDemoRedemption(
	trx: Transaction<Database>,
	input: { companyId: number; from: Date; by: string }
): Promise<void> {
	await insertRedeemLimit(trx, {
		companyId: input.companyId,
		redeemMaxBp: DEMO_REDEEM_MAX_BP,
		effectiveFrom: input.from,
		createdBy: input.by
	});
	await rebuildBalances(trx);
}
