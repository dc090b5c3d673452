/**
 * The company self-registration form (seed 000 "Регистрация"), checked by the same rules in the
 * browser and on the server. Each error is a code; the screen turns it into words through the
 * catalogue (`register.error.<field>.<code>`).
 */
import { checkPassword, normalizeEmail, normalizeRuPhone } from '../domain';

export interface RegistrationForm {
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
	email: string;
	phone: string;
	password: string;
	inviterPartnerId: number;
}

export const DEFAULT_INVITER_ID = 1;

/** Self-registration knows no company name; the company sets it in its profile. */
export const PLACEHOLDER_COMPANY_NAME = 'Новая компания';

export function validateRegistration(
	form: RegistrationForm
): { ok: true; value: ValidRegistration } | { ok: false; fieldErrors: RegistrationFieldErrors } {
	const errors: RegistrationFieldErrors = {};
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
	if (Object.keys(errors).length > 0 || !email.ok || !phone.ok) {
		return { ok: false, fieldErrors: errors };
	}
	return {
		ok: true,
		value: { email: email.email, phone: phone.e164, password: form.password, inviterPartnerId }
	};
}
