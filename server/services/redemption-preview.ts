import type { Kysely } from 'kysely';
import { maxRedeemKopecks } from '../../src/lib/domain/redeem';
import type { Database } from '../db/types';
import { getBalance } from '../repositories/balances';
import { getRedemptionContext } from '../repositories/redemptions';
import { LookupThrottled, tallyThrottled } from './customer-probes';
import {
	billInRange,
	checkCode,
	contextReason,
	foreignDevice,
	type Caller,
	type RedeemReason
} from './redemption-checks';

export type PreviewOutcome =
	| {
			ok: true;
			customerName: string;
			balanceKopecks: number;
			maxRedeemKopecks: number;
			redeemMaxBp: number;
			rateBp: number;
	  }
	| { ok: false; reason: RedeemReason };

/**
 * payments.redeemPreview: with a valid code only (a company never sees a balance without the
 * customer's consent), the customer's name, balance and the most this bill may take in
 * cashback. Does not consume the code; a wrong code counts towards the lock at this company.
 * An unknown customer is answered as a wrong code; either spends a lookup slot, and past the
 * company's lookup limit the call throws LookupThrottled (the router's 429).
 */
export async function previewRedemption(
	db: Kysely<Database>,
	input: Caller
): Promise<PreviewOutcome> {
	try {
		return await previewIn(db, input);
	} catch (error) {
		if (error instanceof LookupThrottled) await tallyThrottled(db, input.companyId, input.now);
		throw error;
	}
}

function previewIn(db: Kysely<Database>, input: Caller): Promise<PreviewOutcome> {
	const deviceId = input.deviceId.toLowerCase();
	return db.transaction().execute(async (trx): Promise<PreviewOutcome> => {
		if (!billInRange(input.billKopecks)) return { ok: false, reason: 'amount_out_of_range' };
		const context = await getRedemptionContext(trx, {
			companyId: input.companyId,
			deviceId,
			customerId: input.customerId,
			at: input.now
		});
		const refused = contextReason(context) ?? foreignDevice(input);
		if (refused) return { ok: false, reason: refused };
		const code = await checkCode(trx, { ...input, known: context.customerName !== null });
		if (!code.ok) return code;
		const balance = await getBalance(trx, input.customerId);
		return {
			ok: true,
			customerName: context.customerName!,
			balanceKopecks: balance,
			maxRedeemKopecks: maxRedeemKopecks(input.billKopecks, context.redeemMaxBp, balance),
			redeemMaxBp: context.redeemMaxBp,
			rateBp: context.rateBp!
		};
	});
}
