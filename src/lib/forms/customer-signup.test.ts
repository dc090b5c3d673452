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
				passwordRepeat: 'мой пароль для кэшбэка',
				consentPersonalData: true
			})
		).toEqual({
			ok: true,
			value: {
				name: 'Смирнова Анна',
				phone: '+79123456789',
				email: 'anna@example.test',
				password: 'мой пароль для кэшбэка',
				consentMarketing: false
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
				passwordRepeat: 'passw0rd',
				consentPersonalData: false
			})
		).toEqual({
			ok: false,
			fieldErrors: {
				name: 'me.error.name.required',
				phone: 'me.error.phone.format',
				email: 'me.error.email.format',
				password: 'me.error.password.common',
				passwordRepeat: 'me.error.password.mismatch',
				consentPersonalData: 'privacy.error.consentPersonalData.required'
			}
		});
	});

	it('checks the repeat only when it is given', () => {
		const form = {
			name: 'Анна',
			phone: '9123456789',
			email: 'a@b.ru',
			password: 'long enough pw',
			consentPersonalData: true
		};
		expect(validateCustomerSignup(form).ok).toBe(true);
		expect(validateCustomerSignup({ ...form, passwordRepeat: '' }).ok).toBe(false);
	});

	it('needs the personal-data consent; the marketing consent is separate and optional', () => {
		const form = {
			name: 'Анна',
			phone: '9123456789',
			email: 'a@b.ru',
			password: 'long enough pw'
		};
		expect(validateCustomerSignup({ ...form, consentPersonalData: false })).toEqual({
			ok: false,
			fieldErrors: { consentPersonalData: 'privacy.error.consentPersonalData.required' }
		});
		// only a real `true` counts as a tick
		expect(
			validateCustomerSignup({ ...form, consentPersonalData: 'on' as unknown as boolean }).ok
		).toBe(false);
		const withMarketing = validateCustomerSignup({
			...form,
			consentPersonalData: true,
			consentMarketing: true
		});
		expect(withMarketing.ok && withMarketing.value.consentMarketing).toBe(true);
	});
});
