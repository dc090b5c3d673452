import { decodeBase32IgnorePadding, encodeBase32NoPadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import { isValidCustomerId } from './customer-id';

/**
 * The customer's one-time redemption code (SPEC C9): TOTP per RFC 6238 — HMAC-SHA-1,
 * 6 digits, 30-second steps from the Unix epoch — computed on the phone from the customer's
 * secret (so it works offline there) and checked by the server with ±1 step of tolerance.
 * One module for both sides: the phone and the server can never disagree on a code.
 */

export const OTP_DIGITS = 6;
export const OTP_STEP_SECONDS = 30;
/** Steps accepted either side of the server's current one (clock drift, typing time). */
export const OTP_WINDOW_STEPS = 1;
/** Bytes of a secret (160 bits, as RFC 4226 recommends). */
export const OTP_SECRET_BYTES = 20;

/** The TOTP time step (counter) of a moment. */
export function otpStep(at: Date | number): number {
	const ms = typeof at === 'number' ? at : at.getTime();
	return Math.floor(ms / 1000 / OTP_STEP_SECONDS);
}

/** Seconds left in the step of `at` (1..30): what the countdown ring shows. */
export function otpSecondsLeft(at: Date | number): number {
	const ms = typeof at === 'number' ? at : at.getTime();
	return OTP_STEP_SECONDS - (Math.floor(ms / 1000) % OTP_STEP_SECONDS);
}

/** The code of one step. */
export function otpCodeAtStep(secret: Uint8Array, step: number): string {
	return generateHOTP(secret, BigInt(step), OTP_DIGITS);
}

/** The code shown at `at`. */
export function otpCode(secret: Uint8Array, at: Date | number): string {
	return otpCodeAtStep(secret, otpStep(at));
}

/** Whether a text has the shape of a code (six digits). */
export function isOtpCodeShape(code: string): boolean {
	return /^\d{6}$/.test(code);
}

/**
 * The step a code belongs to within ±OTP_WINDOW_STEPS of `at`, or null when it matches none.
 * The current step is tried first. Every candidate is computed, whatever matches, so the
 * time taken says nothing about which step (if any) matched.
 */
export function matchOtpStep(secret: Uint8Array, code: string, at: Date | number): number | null {
	if (!isOtpCodeShape(code)) return null;
	const current = otpStep(at);
	let found: number | null = null;
	for (const offset of [0, -1, 1].slice(0, 1 + 2 * OTP_WINDOW_STEPS)) {
		const step = current + offset;
		if (constantTimeEqualText(otpCodeAtStep(secret, step), code) && found === null) found = step;
	}
	return found;
}

function constantTimeEqualText(a: string, b: string): boolean {
	if (a.length !== b.length) return false;
	let diff = 0;
	for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
	return diff === 0;
}

/** A secret as the card carries it: base32 (RFC 4648, no padding), as authenticator apps do. */
export function encodeOtpSecret(secret: Uint8Array): string {
	return encodeBase32NoPadding(secret);
}

/** The secret of a base32 text; throws on a malformed one. */
export function decodeOtpSecret(base32: string): Uint8Array {
	return decodeBase32IgnorePadding(base32.toUpperCase());
}

/** What the card's QR carries for a redemption: `KOPEK1:<customerId>:<code>`. */
export function redemptionQrText(customerId: string, code: string): string {
	return `KOPEK1:${customerId}:${code}`;
}

/**
 * The customer ID and code of a redemption QR (`KOPEK1:<id>:<code>`), or null when the text
 * is not one (or its ID fails the check digit).
 */
export function parseRedemptionQr(text: string): { customerId: string; code: string } | null {
	const match = /^KOPEK1:(\d{6,12}):(\d{6})$/.exec(text.trim());
	if (!match || !isValidCustomerId(match[1]!)) return null;
	return { customerId: match[1]!, code: match[2]! };
}
