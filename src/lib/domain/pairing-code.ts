/**
 * Pairing codes (SPEC C10): 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L,
 * 2/Z, 5/S, 8/B), shown as two groups of four; typed in any case, with or without the dash.
 */
import { cryptoRandomInt, type RandomInt } from './random';

export const PAIRING_ALPHABET = '34679ACDEFGHJKMNPQRTUVWXY';
export const PAIRING_CODE_LENGTH = 8;

export function generatePairingCode(randomInt: RandomInt = cryptoRandomInt): string {
	let code = '';
	for (let i = 0; i < PAIRING_CODE_LENGTH; i++)
		code += PAIRING_ALPHABET[randomInt(PAIRING_ALPHABET.length)];
	return code;
}

/** The code as typed or scanned → its canonical form, or null when it cannot be one. */
export function normalizePairingCode(input: string): string | null {
	const code = input.toUpperCase().replace(/[\s-]/g, '');
	if (code.length !== PAIRING_CODE_LENGTH) return null;
	for (const ch of code) if (!PAIRING_ALPHABET.includes(ch)) return null;
	return code;
}

/** "ABCD-EFGH", as the cabinet shows it. */
export function formatPairingCode(code: string): string {
	return `${code.slice(0, 4)}-${code.slice(4)}`;
}
