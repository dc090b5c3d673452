/**
 * Password policy after NIST SP 800-63B: length is what counts (8..128 characters, any
 * characters, Cyrillic and spaces included, no composition rules), and passwords that are
 * known to be common or that repeat the login are refused. Deliberately not the seed's
 * "6 characters from A-z 0-9 !@#$_-." rule, which is weaker and locks out Cyrillic.
 */
import { COMMON_PASSWORDS } from './common-passwords';

/** Fewest characters (Unicode code points) a password may have. */
export const PASSWORD_MIN = 8;
/** Most characters (Unicode code points) a password may have. */
export const PASSWORD_MAX = 128;

export type PasswordError = 'too_short' | 'too_long' | 'common' | 'contains_email';
export type CheckPasswordResult = { ok: true } | { ok: false; error: PasswordError };

const COMMON = new Set(COMMON_PASSWORDS);

/** Lower case the way both the list and the comparison need it. */
function fold(text: string): string {
	return text.normalize('NFC').toLowerCase();
}

/**
 * Checks a new password against the policy. Length is counted in Unicode code points
 * after NFC normalization, so `ё` typed either way counts once. `common` covers the
 * bundled list (surrounding spaces ignored for the comparison only) and a single repeated
 * character (`aaaaaaaa`); `contains_email` is a
 * password equal to the e-mail's local part or containing the whole e-mail, compared
 * case-insensitively. The password itself is never trimmed or altered.
 */
export function checkPassword(pw: string, context?: { email?: string }): CheckPasswordResult {
	const normalized = pw.normalize('NFC');
	const length = [...normalized].length;
	if (length < PASSWORD_MIN) return { ok: false, error: 'too_short' };
	if (length > PASSWORD_MAX) return { ok: false, error: 'too_long' };
	const folded = fold(normalized);
	// Padding a common password with spaces does not make it less common.
	const core = folded.trim();
	if (COMMON.has(core) || new Set(folded).size === 1) return { ok: false, error: 'common' };
	const email = context?.email ? fold(context.email.trim()) : '';
	if (email !== '') {
		const at = email.lastIndexOf('@');
		const local = at > 0 ? email.slice(0, at) : email;
		if (core === local || folded.includes(email)) return { ok: false, error: 'contains_email' };
	}
	return { ok: true };
}
