/**
 * The company self-registration form (seed 000 "Регистрация"), checked by the same rules in the
 * browser and on the server. Each error is a code; the screen turns it into words through the
 * catalogue (`register.error.<field>.<code>`).
 */
import { checkPassword, normalizeEmail, normalizeRuPhone, validateInn } from '../domain';
import { cleanUserText } from '../domain/text';

/** Longest company name taken (the profile's limit). */
const COMPANY_NAME_MAX = 200;

export interface RegistrationForm {
	/** The company's ИНН: its name, director and address then come from the state registry. */
	inn: string;
	/**
	 * The company's name as typed: needed only when the registry has no answer for the INN;
	 * the registry's name wins when it has one.
	 */
	companyName: string;
	email: string;
	phone: string;
	password: string;
	passwordRepeat: string;
	/** Inviter partner ID as typed; empty means the platform's own partner 1. */
	inviterId: string;
	consentTerms: boolean;
	consentPrivacy: boolean;
}

export type RegistrationField = keyof RegistrationForm;
export type RegistrationFieldErrors = Partial<Record<RegistrationField, string>>;

export interface ValidRegistration {
	inn: string;
	/** Empty when not typed (the registry's name is used). */
	companyName: string;
	email: string;
	phone: string;
	password: string;
	inviterPartnerId: number;
}

export const DEFAULT_INVITER_ID = 1;

export function validateRegistration(
	form: RegistrationForm
): { ok: true; value: ValidRegistration } | { ok: false; fieldErrors: RegistrationFieldErrors } {
	const errors: RegistrationFieldErrors = {};
	const inn = validateInn(form.inn);
	if (!inn.ok) errors.inn = inn.error;
	const companyName = cleanUserText(form.companyName, { max: COMPANY_NAME_MAX });
	if (!companyName.ok) errors.companyName = companyName.error;
	const email = normalizeEmail(form.email);
	if (!email.ok) errors.email = email.error;
	const phone = normalizeRuPhone(form.phone);
	if (!phone.ok) errors.phone = phone.error;
	const password = checkPassword(form.password, { email: email.ok ? email.email : undefined });
	if (!password.ok) errors.password = password.error;
	if (form.passwordRepeat !== form.password) errors.passwordRepeat = 'mismatch';
	const inviterText = form.inviterId.trim();
	let inviterPartnerId = DEFAULT_INVITER_ID;
	if (inviterText !== '') {
		if (!/^[0-9]{1,9}$/.test(inviterText) || Number(inviterText) < 1) errors.inviterId = 'format';
		else inviterPartnerId = Number(inviterText);
	}
	if (!form.consentTerms) errors.consentTerms = 'required';
	if (!form.consentPrivacy) errors.consentPrivacy = 'required';
	if (Object.keys(errors).length > 0 || !inn.ok || !companyName.ok || !email.ok || !phone.ok) {
		return { ok: false, fieldErrors: errors };
	}
	return {
		ok: true,
		value: {
			inn: inn.inn,
			companyName: companyName.text,
			email: email.email,
			phone: phone.e164,
			password: form.password,
			inviterPartnerId
		}
	};
}
