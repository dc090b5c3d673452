import { describe, expect, it } from 'vitest';
import {
	emptyPartnerRegistration,
	validatePartnerRegistration,
	type PartnerRegistrationForm
} from './partner-registration';

const filled = (overrides: Partial<PartnerRegistrationForm> = {}): PartnerRegistrationForm => ({
	...emptyPartnerRegistration(),
	inn: '1655012344',
	name: ' ООО "ЧАЙХАНА ВОСТОК" ',
	kpp: '165501001',
	ogrn: '1161690012340',
	directorLastName: 'Хабибуллин',
	directorFirstName: 'Рустам',
	postcode: '420111',
	region: 'Респ Татарстан',
	city: 'Казань',
	street: 'ул Баумана',
	house: '44',
	phone: '911-111-1111',
	email: 'Owner@Example.test',
	password: 'a long passphrase',
	...overrides
});

describe('validatePartnerRegistration', () => {
	it('accepts a full form: trims, normalizes phone and e-mail, drops empty optional parts', () => {
		const result = validatePartnerRegistration(filled());
		expect(result).toEqual({
			ok: true,
			value: expect.objectContaining({
				inn: '1655012344',
				name: 'ООО "ЧАЙХАНА ВОСТОК"',
				phone: '+79111111111',
				email: 'owner@example.test',
				settlement: undefined,
				building: undefined
			})
		});
	});

	it('reports every wrong field at once, as catalogue keys', () => {
		const result = validatePartnerRegistration(emptyPartnerRegistration());
		expect(result).toEqual({
			ok: false,
			fieldErrors: {
				inn: 'partner.error.inn.empty',
				name: 'partner.error.required',
				directorLastName: 'partner.error.required',
				directorFirstName: 'partner.error.required',
				postcode: 'partner.error.required',
				region: 'partner.error.required',
				city: 'partner.error.cityOrSettlement',
				street: 'partner.error.required',
				house: 'partner.error.required',
				phone: 'partner.error.phone.empty',
				email: 'partner.error.email.empty',
				password: 'partner.error.password.too_short'
			}
		});
	});

	it.each([
		[{ inn: '1655012345' }, 'inn', 'partner.error.inn.checksum'],
		[{ inn: '16550123' }, 'inn', 'partner.error.inn.length'],
		[{ postcode: '42011' }, 'postcode', 'partner.error.postcode'],
		[{ kpp: '16550100' }, 'kpp', 'partner.error.kpp'],
		[{ ogrn: '1161690012341' }, 'ogrn', 'partner.error.ogrn'],
		[{ ogrn: '318169000123456' }, 'ogrn', 'partner.error.ogrn'],
		[{ inn: '165500112295', kpp: '165501001', ogrn: '' }, 'kpp', 'partner.error.kpp'],
		[{ phone: '+1 202 555 0100' }, 'phone', 'partner.error.phone.format'],
		[{ password: 'owner@example.test!' }, 'password', 'partner.error.password.contains_email'],
		[{ house: '1'.repeat(51) }, 'house', 'partner.error.long']
	] as const)('%o → %s: %s', (overrides, field, key) => {
		const result = validatePartnerRegistration(filled(overrides));
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.fieldErrors[field]).toBe(key);
	});

	it('takes a settlement instead of a city', () => {
		expect(validatePartnerRegistration(filled({ city: '', settlement: 'рп Кольцово' })).ok).toBe(
			true
		);
	});
});
