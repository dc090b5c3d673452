/**
 * Customer IDs: decimal strings whose last digit is a Luhn check digit over the rest, so a
 * mistyped ID is caught at the counter even offline. The seed's format is six digits
 * ("Формат ID: 123456"); longer IDs (up to 12) are accepted for when six run out.
 */
import { cryptoRandomInt, type RandomInt } from './random';

/** Shortest valid customer ID, check digit included. */
export const CUSTOMER_ID_MIN_LENGTH = 6;
/** Longest valid customer ID: 12 digits still fit a JavaScript number and a SQL bigint. */
export const CUSTOMER_ID_MAX_LENGTH = 12;

const DIGITS = /^\d+$/;

function luhnSum(digits: string, doubleFirst: boolean): number {
	let sum = 0;
	let double = doubleFirst;
	for (let i = digits.length - 1; i >= 0; i--) {
		let d = digits.charCodeAt(i) - 48;
		if (double) {
			d *= 2;
			if (d > 9) d -= 9;
		}
		sum += d;
		double = !double;
	}
	return sum;
}

/**
 * The Luhn check digit to append to `body`, e.g. `"12345"` → `5`.
 *
 * @throws RangeError if `body` is empty or not all ASCII digits.
 */
export function luhnCheckDigit(body: string): number {
	if (!DIGITS.test(body)) throw new RangeError('body must be a non-empty string of digits');
	// The check digit will sit at the right, so the body's last digit is the first doubled.
	return (10 - (luhnSum(body, true) % 10)) % 10;
}

/** True when a digit string (check digit last) passes the Luhn test; no length rules. */
export function isLuhnValid(digits: string): boolean {
	return DIGITS.test(digits) && luhnSum(digits, false) % 10 === 0;
}

export type CustomerIdError = 'empty' | 'format' | 'length' | 'checksum';
export type ValidateCustomerIdResult =
	{ ok: true; id: string } | { ok: false; error: CustomerIdError };

/**
 * Validates a customer ID as typed at the counter: surrounding and inner spaces are
 * ignored (`"123 455"`), then it must be 6..12 digits, not start with 0, and pass Luhn.
 */
export function validateCustomerId(input: string): ValidateCustomerIdResult {
	const id = input.replace(/[\s\u00A0\u202F]/g, '');
	if (id === '') return { ok: false, error: 'empty' };
	// A leading zero would be lost wherever the ID is read as a number; none are issued.
	if (!DIGITS.test(id) || id.startsWith('0')) return { ok: false, error: 'format' };
	if (id.length < CUSTOMER_ID_MIN_LENGTH || id.length > CUSTOMER_ID_MAX_LENGTH) {
		return { ok: false, error: 'length' };
	}
	if (!isLuhnValid(id)) return { ok: false, error: 'checksum' };
	return { ok: true, id };
}

/** True for a well-formed customer ID exactly as stored (no spaces). */
export function isValidCustomerId(id: string): boolean {
	const result = validateCustomerId(id);
	return result.ok && result.id === id;
}

/**
 * A new random customer ID of `digits` digits in total (check digit included), never
 * starting with 0. Uniqueness is the database's job: retry on a unique-key conflict.
 *
 * @throws RangeError if `digits` is outside 6..12.
 */
export function generateCustomerId(
	digits = CUSTOMER_ID_MIN_LENGTH,
	random: RandomInt = cryptoRandomInt
): string {
	if (
		!Number.isInteger(digits) ||
		digits < CUSTOMER_ID_MIN_LENGTH ||
		digits > CUSTOMER_ID_MAX_LENGTH
	) {
		throw new RangeError(
			`digits must be an integer in ${CUSTOMER_ID_MIN_LENGTH}..${CUSTOMER_ID_MAX_LENGTH}, got ${digits}`
		);
	}
	let body = String(1 + random(9));
	for (let i = 1; i < digits - 1; i++) body += String(random(10));
	return body + String(luhnCheckDigit(body));
}

/**
 * The customer ID inside a scanned QR code: the code holds the ID itself or the URL of
 * the customer's card ending in it (`https://host/me/card/123455`, `...?id=123455`, one
 * trailing `/` tolerated). The trailing run of digits is returned if it is a valid ID,
 * otherwise null.
 */
export function extractCustomerId(qrText: string): string | null {
	const match = /(\d+)\/?$/.exec(qrText.trim());
	const candidate = match?.[1];
	if (candidate === undefined) return null;
	return isValidCustomerId(candidate) ? candidate : null;
}
