import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	decodeOtpSecret,
	encodeOtpSecret,
	matchOtpStep,
	otpCode,
	otpSecondsLeft,
	otpStep,
	parseRedemptionQr,
	redemptionQrText
} from './otp';

// RFC 6238 appendix B: the SHA-1 seed "12345678901234567890"; the 8-digit values there end in
// these 6 digits (TOTP truncation is the same HOTP value mod 10^digits).
const RFC_SECRET = new TextEncoder().encode('12345678901234567890');
const RFC_VECTORS: [number, string][] = [
	[59, '287082'],
	[1111111109, '081804'],
	[1111111111, '050471'],
	[1234567890, '005924'],
	[2000000000, '279037'],
	[20000000000, '353130']
];

describe('TOTP (RFC 6238, SHA-1, 6 digits, 30 s)', () => {
	it.each(RFC_VECTORS)('the RFC test vector at %i s is %s', (seconds, code) => {
		expect(otpCode(RFC_SECRET, seconds * 1000)).toBe(code);
	});

	it('accepts the current step and one either side, nothing further', () => {
		const now = 1_700_000_000_000;
		const step = otpStep(now);
		for (const offset of [-1, 0, 1]) {
			const code = otpCode(RFC_SECRET, now + offset * 30_000);
			expect(matchOtpStep(RFC_SECRET, code, now)).toBe(step + offset);
		}
		for (const offset of [-3, -2, 2, 3]) {
			const code = otpCode(RFC_SECRET, now + offset * 30_000);
			// A far code may collide with a near one by chance (1 in 10^6); these do not.
			expect(matchOtpStep(RFC_SECRET, code, now)).toBeNull();
		}
	});

	it('refuses anything that is not six digits', () => {
		for (const bad of ['', '12345', '1234567', 'abcdef', ' 28708'])
			expect(matchOtpStep(RFC_SECRET, bad, 59_000)).toBeNull();
	});

	it('counts the seconds left in the step down from 30 to 1', () => {
		expect(otpSecondsLeft(0)).toBe(30);
		expect(otpSecondsLeft(29_999)).toBe(1);
		expect(otpSecondsLeft(30_000)).toBe(30);
	});

	it('round-trips secrets through base32', () => {
		fc.assert(
			fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (bytes) => {
				expect(decodeOtpSecret(encodeOtpSecret(bytes))).toEqual(bytes);
			})
		);
	});
});

describe('the redemption QR', () => {
	it('carries the ID and the code, and reads back', () => {
		expect(redemptionQrText('123455', '287082')).toBe('KOPEK1:123455:287082');
		expect(parseRedemptionQr('KOPEK1:123455:287082')).toEqual({
			customerId: '123455',
			code: '287082'
		});
	});

	it('refuses other texts and IDs that fail the check digit', () => {
		for (const bad of [
			'123455',
			'KOPEK1:123456:287082',
			'KOPEK1:123455:28708',
			'KOPEK2:123455:287082'
		])
			expect(parseRedemptionQr(bad)).toBeNull();
	});
});
