import type { Transaction } from 'kysely';
import { MAX_AMOUNT_KOPECKS, MIN_AMOUNT_KOPECKS } from '../../src/lib/domain/money';
import { matchOtpStep } from '../../src/lib/domain/otp';
import type { Database } from '../db/types';
import { isOtpStepUsed, lockOtpState, recordOtpFailure } from '../repositories/otp-codes';
import type { RedemptionContext } from '../repositories/redemptions';
import { spendLookups } from './customer-probes';
import type { RejectReason } from './payment-sync';
import type { SyncSender } from './terminal-sync';

/* What a redemption and its preview both check: the caller, the bill, the context, the code. */

/**
 * Why a redemption (or its preview) is refused; SPEC.md "The redemption contract": its own
 * reasons, and every reason a synced payment is rejected for (customer, company, device,
 * amount, the time bounds, and at a paired terminal who takes it).
 */
export type RedeemReason =
	| 'bad_code'
	| 'code_used'
	| 'code_locked'
	| 'insufficient_balance'
	| 'over_limit'
	| 'redemption_disabled'
	| RejectReason;

export interface Caller {
	companyId: number;
	deviceId: string;
	customerId: string;
	code: string;
	billKopecks: number;
	/** The server's clock (injected in tests and the benchmark). */
	now: Date;
	/** The key that opens the customers' OTP secrets. */
	key: Buffer;
	/** A paired terminal, when it is one that asks (absent: the admin's own counter). */
	sender?: SyncSender;
}

export function billInRange(billKopecks: number) {
	return billKopecks >= MIN_AMOUNT_KOPECKS && billKopecks <= MAX_AMOUNT_KOPECKS;
}

/** A paired terminal asks only as its own device. */
export function foreignDevice(input: Pick<Caller, 'deviceId' | 'sender'>): RedeemReason | null {
	const terminal = input.sender?.terminal;
	return terminal && terminal.deviceId !== input.deviceId.toLowerCase()
		? 'device_not_registered'
		: null;
}

/**
 * Refusals that depend on the company and device only (in this order). An unknown customer is
 * not one of them: checkCode answers it as a wrong code (SPEC C16), so a redemption tells no
 * company whether an ID exists.
 */
export function contextReason(context: RedemptionContext): RedeemReason | null {
	if (!context.deviceId) return 'device_not_registered';
	if (context.companyStatus !== 'active' || context.rateBp === null) return 'company_inactive';
	if (context.redeemMaxBp <= 0) return 'redemption_disabled';
	return null;
}

/**
 * Checks the customer's code under the customer's code lock (so counters racing for one
 * customer take turns): locked at this company → code_locked; no match within ±1 step →
 * bad_code (counted per customer and company: repositories/otp-codes.ts); a step already
 * accepted → code_used. An unknown customer (`known` false) is a bad_code too. Every answer
 * but a good code spends one of the company's lookup slots, as a lookup would (a company may
 * not learn more by guessing codes than by looking up); past the limit it throws
 * LookupThrottled, and the transaction, rolled back, counts no failure. Returns the matched
 * step; consumes nothing.
 */
export async function checkCode(
	trx: Transaction<Database>,
	input: Pick<Caller, 'companyId' | 'customerId' | 'code' | 'now' | 'key'> & { known: boolean }
): Promise<{ ok: true; step: number } | { ok: false; reason: RedeemReason }> {
	const spend = async () => {
		const refused = await spendLookups(trx, {
			companyId: input.companyId,
			need: 1,
			unknownIds: input.known ? 0 : 1,
			now: input.now
		});
		if (refused) throw refused;
	};
	if (!input.known) {
		await spend();
		return { ok: false, reason: 'bad_code' };
	}
	const state = await lockOtpState(trx, input.key, input.customerId, input.companyId);
	if (state.lockedUntil && state.lockedUntil.getTime() > input.now.getTime()) {
		await spend();
		return { ok: false, reason: 'code_locked' };
	}
	const step = state.secret ? matchOtpStep(state.secret, input.code, input.now) : null;
	if (step === null) {
		await spend();
		await recordOtpFailure(trx, {
			customerId: input.customerId,
			companyId: input.companyId,
			now: input.now
		});
		return { ok: false, reason: 'bad_code' };
	}
	if (await isOtpStepUsed(trx, input.customerId, step)) return { ok: false, reason: 'code_used' };
	return { ok: true, step };
}
