/**
 * The partner's "Регистрация нового клиента" form (seed 001), checked by the same rules in
 * the browser as it is typed and on the server (server/routers/partners.ts). Each error is a
 * message key of catalogue/partner.ts.
 */
import { normalizeEmail } from '../domain/email';
import { isValidKpp, validateInn, validateOgrn } from '../domain/inn';
import { checkPassword } from '../domain/password';
import { normalizeRuPhone } from '../domain/phone';
import { isValidPostcode } from '../domain/postcode';

export const PARTNER_REGISTRATION_FIELDS = [
	'inn',
	'name',
	'kpp',
	'ogrn',
	'directorLastName',
	'directorFirstName',
	'legalAddress',
	'postcode',
	'region',
	'city',
	'settlement',
	'street',
	'house',
	'building',
	'office',
	'phone',
	'email',
	'password'
] as const;

export type PartnerRegistrationField = (typeof PARTNER_REGISTRATION_FIELDS)[number];
export type PartnerRegistrationForm = Record<PartnerRegistrationField, string>;
export type PartnerRegistrationErrors = Partial<Record<PartnerRegistrationField, string>>;

/** The company details a registry lookup fills in; the server prefers the registry's. */
export const REGISTRY_FIELDS = [
	'name',
	'kpp',
	'ogrn',
	'directorLastName',
	'directorFirstName',
	'legalAddress'
] as const satisfies readonly PartnerRegistrationField[];

/** Valid input: text trimmed, optional parts undefined when empty, phone E.164, e-mail normalized. */
export interface ValidPartnerRegistration {
	inn: string;
	name: string;
	kpp?: string;
	ogrn?: string;
	directorLastName: string;
	directorFirstName: string;
	legalAddress?: string;
	postcode: string;
	region: string;
	city?: string;
	settlement?: string;
	street: string;
	house: string;
	building?: string;
	office?: string;
	phone: string;
	email: string;
	password: string;
}

type TextField = Exclude<PartnerRegistrationField, 'inn' | 'phone' | 'email' | 'password'>;

/** Longest value per text field, and whether it must be filled. */
const TEXT_FIELDS: Record<TextField, { max: number; required: boolean }> = {
	name: { max: 300, required: true },
	kpp: { max: 9, required: false },
	ogrn: { max: 15, required: false },
	directorLastName: { max: 100, required: true },
	directorFirstName: { max: 100, required: true },
	legalAddress: { max: 500, required: false },
	postcode: { max: 6, required: true },
	region: { max: 200, required: true },
	city: { max: 200, required: false },
	settlement: { max: 200, required: false },
	street: { max: 200, required: true },
	house: { max: 50, required: true },
	building: { max: 50, required: false },
	office: { max: 50, required: false }
};

/** An empty form, for the page's initial state. */
export function emptyPartnerRegistration(): PartnerRegistrationForm {
	return Object.fromEntries(
		PARTNER_REGISTRATION_FIELDS.map((f) => [f, ''])
	) as PartnerRegistrationForm;
}

export function validatePartnerRegistration(
	form: PartnerRegistrationForm
):
	| { ok: true; value: ValidPartnerRegistration }
	| { ok: false; fieldErrors: PartnerRegistrationErrors } {
	const errors: PartnerRegistrationErrors = {};
	const text: Partial<Record<TextField, string>> = {};
	for (const [field, rule] of Object.entries(TEXT_FIELDS) as [
		TextField,
		typeof TEXT_FIELDS.name
	][]) {
		const value = (form[field] ?? '').trim();
		if (value === '') {
			if (rule.required) errors[field] = 'partner.error.required';
		} else if ([...value].length > rule.max) {
			errors[field] = 'partner.error.long';
		} else {
			text[field] = value;
		}
	}

	const inn = validateInn(form.inn ?? '');
	if (!inn.ok) errors.inn = `partner.error.inn.${inn.error}`;
	const legal = inn.ok ? inn.kind === 'legal' : undefined;

	if (text.postcode !== undefined && !isValidPostcode(text.postcode)) {
		errors.postcode = 'partner.error.postcode';
	}
	if (!errors.city && !errors.settlement && !text.city && !text.settlement) {
		errors.city = 'partner.error.cityOrSettlement';
	}
	// An entrepreneur has no KPP; a legal entity's KPP has its fixed shape.
	if (text.kpp !== undefined && (legal === false || !isValidKpp(text.kpp))) {
		errors.kpp = 'partner.error.kpp';
	}
	if (text.ogrn !== undefined) {
		const ogrn = validateOgrn(text.ogrn);
		if (!ogrn.ok || (legal !== undefined && (ogrn.kind === 'legal') !== legal)) {
			errors.ogrn = 'partner.error.ogrn';
		}
	}

	const phone = normalizeRuPhone(form.phone ?? '');
	if (!phone.ok) errors.phone = `partner.error.phone.${phone.error}`;
	const email = normalizeEmail(form.email ?? '');
	if (!email.ok) errors.email = `partner.error.email.${email.error}`;
	const password = form.password ?? '';
	const verdict = checkPassword(password, { email: email.ok ? email.email : undefined });
	if (!verdict.ok) errors.password = `partner.error.password.${verdict.error}`;

	if (Object.keys(errors).length > 0 || !inn.ok || !phone.ok || !email.ok) {
		return { ok: false, fieldErrors: errors };
	}
	// No errors: every required text field is there.
	const required = (field: TextField) => text[field] ?? '';
	return {
		ok: true,
		value: {
			inn: inn.inn,
			name: required('name'),
			kpp: text.kpp,
			ogrn: text.ogrn,
			directorLastName: required('directorLastName'),
			directorFirstName: required('directorFirstName'),
			legalAddress: text.legalAddress,
			postcode: required('postcode'),
			region: required('region'),
			city: text.city,
			settlement: text.settlement,
			street: required('street'),
			house: required('house'),
			building: text.building,
			office: text.office,
			phone: phone.e164,
			email: email.email,
			password
		}
	};
}
