/**
 * Russian phone numbers: typed the way people type them, stored as E.164 (`+79111111111`),
 * shown the way the seed shows them (`911-111-1111`).
 */

export type NormalizeRuPhoneResult =
	{ ok: true; e164: string } | { ok: false; error: 'empty' | 'format' };

// First digit of the 10-digit national number: 3, 4, 8 (geographic zones and 800
// freephone) and 9 (mobile). Shops often give a landline, so not only 9.
const NATIONAL_NUMBER = /^[3489]\d{9}$/;
const ALLOWED = /^\+?[\d\s\u00A0\u202F\-().]+$/;

/**
 * Normalizes a Russian phone number to E.164. Accepts the 10-digit national number
 * (`911-111-1111`, `9111111111`), with trunk prefix 8 (`8 911 111 11 11`) or country code
 * 7 / +7 (`+7 (911) 111-11-11`, `7 911 1111111`), with spaces, dashes, dots and
 * parentheses. Refuses letters, other country codes and wrong lengths.
 */
export function normalizeRuPhone(input: string): NormalizeRuPhoneResult {
	const text = input.trim();
	if (text === '') return { ok: false, error: 'empty' };
	if (!ALLOWED.test(text)) return { ok: false, error: 'format' };
	const hasPlus = text.startsWith('+');
	const digits = text.replace(/\D/g, '');
	let national: string;
	if (digits.length === 10 && !hasPlus) national = digits;
	else if (digits.length === 11 && digits.startsWith('7')) national = digits.slice(1);
	else if (digits.length === 11 && digits.startsWith('8') && !hasPlus) national = digits.slice(1);
	else return { ok: false, error: 'format' };
	if (!NATIONAL_NUMBER.test(national)) return { ok: false, error: 'format' };
	return { ok: true, e164: `+7${national}` };
}

/**
 * A stored `+7XXXXXXXXXX` number in the seed's display style `911-111-1111`. Anything
 * else is returned unchanged, so a foreign or legacy value is still shown as it is.
 */
export function formatRuPhone(e164: string): string {
	const match = /^\+7(\d{3})(\d{3})(\d{4})$/.exec(e164);
	if (!match) return e164;
	return `${match[1]}-${match[2]}-${match[3]}`;
}
