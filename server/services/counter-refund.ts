import type { Kysely } from 'kysely';
import { MAX_PIN_FAILURES, PIN_LOCK_MS } from '../../src/lib/domain/shift';
import { verifyPassword } from '../auth/password';
import type { Database } from '../db/types';
import * as cashiers from '../repositories/cashiers';
import { refundPayment, type RefundError, type StoredRefund } from '../repositories/refunds';

/** A terminal refunds only its own payments of the last day. */
export const COUNTER_REFUND_MAX_AGE_HOURS = 24;
/** Wrong refund PINs of one cashier in any 24 hours after which refunds wait out the day. */
export const MAX_REFUND_PIN_FAILURES_PER_DAY = 20;
const DAY_MS = 24 * 3600 * 1000;

export type CounterRefundError =
	RefundError | 'unknown_cashier' | 'not_allowed' | 'no_refund_pin' | 'wrong_pin' | 'pin_locked';

/**
 * Takes one server-side check of a cashier's refund PIN, or null when the cashier is locked
 * (five wrong in five minutes, or twenty in a day, since the last right one). Atomic: under
 * the cashier row's lock the failures are counted and this check is recorded as a failure
 * before the PIN is even looked at (a right PIN turns it into a success afterwards), so a
 * burst of concurrent checks takes turns and at most the limit of them is ever checked.
 */
async function takeRefundPinCheck(
	db: Kysely<Database>,
	input: { cashierId: string; deviceId: string; now: Date }
): Promise<number | null> {
	const now = input.now.getTime();
	return db.transaction().execute(async (trx) => {
		await cashiers.lockCashier(trx, input.cashierId);
		const recent = await cashiers.countPinFailures(
			trx,
			input.cashierId,
			new Date(now - PIN_LOCK_MS)
		);
		if (recent >= MAX_PIN_FAILURES) return null;
		const daily = await cashiers.countPinFailures(trx, input.cashierId, new Date(now - DAY_MS));
		if (daily >= MAX_REFUND_PIN_FAILURES_PER_DAY) return null;
		return cashiers.recordPinAttempt(trx, {
			cashierId: input.cashierId,
			deviceId: input.deviceId,
			succeeded: false,
			now: input.now
		});
	});
}

/**
 * A refund at the counter (SPEC C10): by an active cashier allowed to refund, confirmed with
 * their refund PIN — 8 digits, checked here only (argon2id; a terminal never holds anything of
 * it, unlike the shift PIN's offline verifier) — of a payment this terminal took within 24 hours,
 * whole or a part of it (`amountKopecks`).
 */
export async function refundAtCounter(
	db: Kysely<Database>,
	input: {
		companyId: number;
		deviceId: string;
		cashierId: string;
		pin: string;
		shiftId: string | null;
		operationId: string;
		reason: string;
		/** The part of the bill to refund (SPEC C13); absent: all that remains. */
		amountKopecks?: number;
		now?: Date;
	}
): Promise<{ ok: true; refund: StoredRefund } | { ok: false; error: CounterRefundError }> {
	const now = input.now ?? new Date();
	const cashier = await cashiers.getCashier(db, input.companyId, input.cashierId);
	if (!cashier || !cashier.active) return { ok: false, error: 'unknown_cashier' };
	if (!cashier.can_refund) return { ok: false, error: 'not_allowed' };
	if (!cashier.refund_pin_hash) return { ok: false, error: 'no_refund_pin' };
	const attempt = await takeRefundPinCheck(db, {
		cashierId: cashier.id,
		deviceId: input.deviceId,
		now
	});
	if (attempt === null) return { ok: false, error: 'pin_locked' };
	if (!(await verifyPassword(cashier.refund_pin_hash, input.pin)))
		return { ok: false, error: 'wrong_pin' };
	await cashiers.markPinAttemptSucceeded(db, attempt);
	return db.transaction().execute((trx) =>
		refundPayment(trx, {
			companyId: input.companyId,
			operationId: input.operationId,
			reason: input.reason,
			amountKopecks: input.amountKopecks,
			userId: null,
			atCounter: {
				deviceId: input.deviceId,
				cashierId: cashier.id,
				shiftId: input.shiftId,
				maxAgeHours: COUNTER_REFUND_MAX_AGE_HOURS
			}
		})
	);
}
