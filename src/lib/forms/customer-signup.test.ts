import { describe, expect, it } from 'vitest';
import { validateCustomerSignup } from './customer-signup';

describe('validateCustomerSignup', () => {
	it('normalizes a good form', () => {
		expect(
			validateCustomerSignup({
				name: '  Смирнова   Анна ',
				phone: '8 912 345-67-89',
				email: ' Anna@Example.test',
				password: 'мой пароль для кэшбэка',
				passwordRepeat: 'мой пароль для кэшбэка'
			})
		).toEqual({
			ok: true,
			value: {
				name: 'Смирнова Анна',
				phone: '+79123456789',
				email: 'anna@example.test',
				password: 'мой пароль для кэшбэка'
			}
		});
	});

	it('reports each field with a catalogue key', () => {
		expect(
			validateCustomerSignup({
				name: ' ',
				phone: '12',
				email: 'x@',
				password: 'password',
				passwordRepeat: 'passw0rd'
			})
		).toEqual({
			ok: false,
			fieldErrors: {
				name: 'me.error.name.required',
				phone: 'me.error.phone.format',
				email: 'me.error.email.format',
				password: 'me.error.password.common',
				passwordRepeat: 'me.error.password.mismatch'
			}
		});
	});

	it('checks the repeat only when it is given', () => {
		const form = { name: 'Анна', phone: '9123456789', email: 'a@b.ru', password: 'long enough pw' };
		expect(validateCustomerSignup(form).ok).toBe(true);
		expect(validateCustomerSignup({ ...form, passwordRepeat: '' }).ok).toBe(false);
	});
});
