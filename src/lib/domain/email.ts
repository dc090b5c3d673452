/**
 * E-mail addresses as logins: one canonical form (trimmed, lower case) so that
 * `Ivan@Mail.ru` and `ivan@mail.ru` are the same account.
 */

/** Longest address accepted (RFC 5321 path limit minus the angle brackets). */
export const EMAIL_MAX = 254;

export type NormalizeEmailResult =
	{ ok: true; email: string } | { ok: false; error: 'empty' | 'format' };

// Pragmatic, not RFC 5322: one @, a non-empty local part of at most 64 characters, a domain
// of at least two non-empty dot-separated labels, no whitespace or control characters.
// Non-ASCII is allowed (почта.рф).
const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@.]+(?:\.[^\s@.]+)+$/u;
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001F\u007F]/;

/**
 * Trims and lower-cases an e-mail and checks its shape. Deliverability is not checked:
 * the address is confirmed, if at all, by actually writing to it.
 */
export function normalizeEmail(input: string): NormalizeEmailResult {
	const email = input.trim().toLowerCase();
	if (email === '') return { ok: false, error: 'empty' };
	if (email.length > EMAIL_MAX || CONTROL.test(email) || !EMAIL_PATTERN.test(email)) {
		return { ok: false, error: 'format' };
	}
	return { ok: true, email };
}
