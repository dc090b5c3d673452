/**
 * Cashier PINs (SPEC C10): 4–6 digits, checked offline on the terminal and online on the
 * server against the same PBKDF2-SHA-256 verifier (WebCrypto, present in browsers and Node 20).
 * A per-cashier random salt; at least 100 000 iterations.
 */
import { cryptoRandomBytes, type RandomBytes } from './random';

export const PIN_PATTERN = /^\d{4,6}$/;
/**
 * A cashier's refund PIN: 8 digits, checked only on the server (never held by a terminal), so
 * cracking the shift PIN's offline verifier authorises no refund (README, «PIN-коды кассиров»).
 */
export const REFUND_PIN_PATTERN = /^\d{8}$/;
export const PIN_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const KEY_BITS = 256;

export interface PinVerifier {
	/** base64 */
	salt: string;
	/** base64 of the derived key */
	verifier: string;
	iterations: number;
}

export function isValidPin(pin: string): boolean {
	return PIN_PATTERN.test(pin);
}

export function isValidRefundPin(pin: string): boolean {
	return REFUND_PIN_PATTERN.test(pin);
}

function toBase64(bytes: Uint8Array): string {
	let binary = '';
	for (const b of bytes) binary += String.fromCharCode(b);
	return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
	const binary = atob(text);
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}

async function derive(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number) {
	const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, [
		'deriveBits'
	]);
	const bits = await crypto.subtle.deriveBits(
		{ name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
		key,
		KEY_BITS
	);
	return new Uint8Array(bits);
}

/** A fresh verifier for a PIN (the admin sets or changes it). */
export async function createPinVerifier(
	pin: string,
	options: { iterations?: number; randomBytes?: RandomBytes } = {}
): Promise<PinVerifier> {
	if (!isValidPin(pin)) throw new RangeError('a PIN is 4 to 6 digits');
	const iterations = options.iterations ?? PIN_ITERATIONS;
	if (iterations < PIN_ITERATIONS) throw new RangeError(`at least ${PIN_ITERATIONS} iterations`);
	const salt = new Uint8Array((options.randomBytes ?? cryptoRandomBytes)(SALT_BYTES));
	return {
		salt: toBase64(salt),
		verifier: toBase64(await derive(pin, salt, iterations)),
		iterations
	};
}

/** Whether `pin` matches the verifier; compares every byte whatever the first difference. */
export async function verifyPin(pin: string, stored: PinVerifier): Promise<boolean> {
	if (!isValidPin(pin) || stored.iterations < PIN_ITERATIONS) return false;
	const derived = await derive(pin, fromBase64(stored.salt), stored.iterations);
	const expected = fromBase64(stored.verifier);
	if (derived.length !== expected.length) return false;
	let diff = 0;
	for (let i = 0; i < derived.length; i++) diff |= (derived[i] ?? 0) ^ (expected[i] ?? 0);
	return diff === 0;
}
