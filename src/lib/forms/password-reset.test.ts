import { describe, expect, it } from 'vitest';
import { validateNewPassword } from './password-reset';

describe('validateNewPassword (the reset link’s form)', () => {
	it('applies the sign-up policy, with the account’s e-mail', () => {
		expect(validateNewPassword('short', 'short', 'anna@example.test')).toEqual({
			ok: false,
			fieldErrors: { password: 'me.error.password.too_short' }
		});
		expect(validateNewPassword('anna', undefined, 'anna@example.test')).toMatchObject({
			ok: false
		});
		expect(validateNewPassword('Anna@Example.test!!', undefined, 'anna@example.test')).toEqual({
			ok: false,
			fieldErrors: { password: 'me.error.password.contains_email' }
		});
		expect(
			validateNewPassword('пароль у моря 2026', 'пароль у моря 2026', 'anna@example.test')
		).toEqual({
			ok: true
		});
	});

	it('asks the two entries to match', () => {
		expect(validateNewPassword('пароль у моря 2026', 'пароль у моря', 'a@b.test')).toEqual({
			ok: false,
			fieldErrors: { passwordRepeat: 'me.error.password.mismatch' }
		});
	});
});
