import { isValidRefundPin, verifyPin, type PinVerifier } from '../../src/lib/domain/pin';
import { hashPassword } from '../auth/password';

/**
 * A refund PIN as the admin sets it → its argon2id hash, or why it is refused: not 8 digits,
 * or it contains the cashier's shift PIN (whose verifier every terminal holds offline: cracking
 * it would then leave only the other digits to guess online).
 */
export async function hashRefundPin(
	refundPin: string,
	shiftPin: string | PinVerifier
): Promise<{ ok: true; hash: string } | { ok: false; error: 'refund_pin_invalid' }> {
	if (!isValidRefundPin(refundPin)) return { ok: false, error: 'refund_pin_invalid' };
	if (await containsShiftPin(refundPin, shiftPin))
		return { ok: false, error: 'refund_pin_invalid' };
	return { ok: true, hash: await hashPassword(refundPin) };
}

async function containsShiftPin(refundPin: string, shiftPin: string | PinVerifier) {
	for (let length = 4; length <= 6; length++) {
		for (let start = 0; start + length <= refundPin.length; start++) {
			const part = refundPin.slice(start, start + length);
			if (typeof shiftPin === 'string' ? part === shiftPin : await verifyPin(part, shiftPin))
				return true;
		}
	}
	return false;
}
