/**
 * The new password of a reset link, checked by the sign-up's policy (domain/password.ts) in
 * the browser and on the server (server/auth/password-reset.ts). Errors are catalogue keys
 * of catalogue/me.ts, the wording sign-up shows.
 */
import { checkPassword } from '../domain/password';

export type NewPasswordErrors = Partial<Record<'password' | 'passwordRepeat', string>>;

export function validateNewPassword(
	password: string,
	passwordRepeat: string | undefined,
	email: string
): { ok: true } | { ok: false; fieldErrors: NewPasswordErrors } {
	const errors: NewPasswordErrors = {};
	const verdict = checkPassword(password, { email });
	if (!verdict.ok) errors.password = `me.error.password.${verdict.error}`;
	if (passwordRepeat !== undefined && passwordRepeat !== password) {
		errors.passwordRepeat = 'me.error.password.mismatch';
	}
	return Object.keys(errors).length > 0 ? { ok: false, fieldErrors: errors } : { ok: true };
}
