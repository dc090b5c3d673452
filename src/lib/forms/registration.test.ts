import { describe, expect, it } from 'vitest';
import { validateRegistration, type RegistrationForm } from './registration';

const valid: RegistrationForm = {
	inn: ' 1655012344 ',
	companyName: '',
	email: ' Shop@Mail.RU ',
	phone: '8 (912) 345-67-89',
	password: 'Надёжный пароль 2026',
	passwordRepeat: 'Надёжный пароль 2026',
	inviterId: '',
	consentTerms: true,
	consentPrivacy: true
};

describe('the self-registration form', () => {
	it('asks for a checksum-valid INN; the name may be left to the registry', () => {
		expect(validateRegistration({ ...valid, inn: '' })).toMatchObject({
			ok: false,
			fieldErrors: { inn: 'empty' }
		});
		expect(validateRegistration({ ...valid, inn: '1655012345' })).toMatchObject({
			ok: false,
			fieldErrors: { inn: 'checksum' }
		});
		expect(validateRegistration({ ...valid, companyName: ' ООО «Ромашка» ' })).toMatchObject({
			ok: true,
			value: { companyName: 'ООО «Ромашка»' }
		});
	});

	it('normalises a valid form; an empty inviter means partner 1', () => {
		expect(validateRegistration(valid)).toEqual({
			ok: true,
			value: {
				inn: '1655012344',
				companyName: '',
				email: 'shop@mail.ru',
				phone: '+79123456789',
				password: 'Надёжный пароль 2026',
				inviterPartnerId: 1
			}
		});
		expect(validateRegistration({ ...valid, inviterId: ' 42 ' })).toMatchObject({
			ok: true,
			value: { inviterPartnerId: 42 }
		});
	});

	it('names every wrong field with a code', () => {
		expect(
			validateRegistration({
				...valid,
				email: '',
				phone: '+1 555 0100',
				password: 'short',
				passwordRepeat: 'other',
				inviterId: '0',
				consentPrivacy: false
			})
		).toEqual({
			ok: false,
			fieldErrors: {
				email: 'empty',
				phone: 'format',
				password: 'too_short',
				passwordRepeat: 'mismatch',
				inviterId: 'format',
				consentPrivacy: 'required'
			}
		});
		expect(
			validateRegistration({ ...valid, password: 'shop@mail.ru!', passwordRepeat: 'shop@mail.ru!' })
		).toEqual({ ok: false, fieldErrors: { password: 'contains_email' } });
		expect(validateRegistration({ ...valid, inviterId: '1.5' })).toEqual({
			ok: false,
			fieldErrors: { inviterId: 'format' }
		});
	});
});
