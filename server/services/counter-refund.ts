import type { Kysely } from 'kysely';
import { verifyPin } from '../../src/lib/domain/pin';
import { MAX_PIN_FAILURES, PIN_LOCK_MS } from '../../src/lib/domain/shift';
import type { Database } from '../db/types';
import * as cashiers from '../repositories/cashiers';
import { refundPayment, type RefundError } from '../repositories/refunds';

/** A terminal refunds only its own payments of the last day. */
export const COUNTER_REFUND_MAX_AGE_HOURS = 24;

export type CounterRefundError =
	RefundError | 'unknown_cashier' | 'not_allowed' | 'wrong_pin' | 'pin_locked';

/**
 * A refund at the counter (SPEC C10): by an active cashier allowed to refund, confirmed with
 * their PIN — checked here again, not only on the tablet, with the same five-wrong-PINs lock
 * kept in Postgres — of a payment this terminal took within 24 hours.
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
		now?: Date;
	}
): Promise<
	| { ok: true; refund: { id: string; amountKopecks: number; cashbackKopecks: number } }
	| { ok: false; error: CounterRefundError }
> {
	const now = input.now ?? new Date();
	const cashier = await cashiers.getCashier(db, input.companyId, input.cashierId);
	if (!cashier || !cashier.active) return { ok: false, error: 'unknown_cashier' };
	if (!cashier.can_refund) return { ok: false, error: 'not_allowed' };
	const since = new Date(now.getTime() - PIN_LOCK_MS);
	if ((await cashiers.countPinFailures(db, cashier.id, since)) >= MAX_PIN_FAILURES)
		return { ok: false, error: 'pin_locked' };
	const pinOk = await verifyPin(input.pin, {
		salt: cashier.pin_salt,
		verifier: cashier.pin_verifier,
		iterations: cashier.pin_iterations
	});
	await cashiers.recordPinAttempt(db, {
		cashierId: cashier.id,
		deviceId: input.deviceId,
		succeeded: pinOk,
		now
	});
	if (!pinOk) return { ok: false, error: 'wrong_pin' };
	return db.transaction().execute((trx) =>
		refundPayment(trx, {
			companyId: input.companyId,
			operationId: input.operationId,
			reason: input.reason,
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
