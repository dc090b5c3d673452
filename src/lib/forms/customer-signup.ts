/**
 * The customer sign-up form (SPEC C7), checked by the same rules in the browser and on the
 * server (server/routers/me.ts). Each error is a message key of catalogue/me.ts.
 */
import { normalizeEmail } from '../domain/email';
import { checkPassword } from '../domain/password';
import { normalizeRuPhone } from '../domain/phone';

export interface CustomerSignupForm {
	name: string;
	phone: string;
	email: string;
	password: string;
	/** Checked when given (the page asks twice; an API client need not). */
	passwordRepeat?: string;
	/** Consent to the processing of personal data (152-FZ): required, never ticked in advance. */
	consentPersonalData: boolean;
	/** Consent to advertising messages: separate and optional. */
	consentMarketing?: boolean;
}

export type CustomerSignupField = keyof CustomerSignupForm;
export type CustomerSignupErrors = Partial<Record<CustomerSignupField, string>>;

export interface ValidCustomerSignup {
	name: string;
	/** E.164. */
	phone: string;
	/** Normalized: the login. */
	email: string;
	password: string;
	consentMarketing: boolean;
}

export const CUSTOMER_NAME_MAX = 100;

export function validateCustomerSignup(
	form: CustomerSignupForm
): { ok: true; value: ValidCustomerSignup } | { ok: false; fieldErrors: CustomerSignupErrors } {
	const errors: CustomerSignupErrors = {};
	const name = (form.name ?? '').trim().replace(/\s+/g, ' ');
	if (name === '') errors.name = 'me.error.name.required';
	else if ([...name].length > CUSTOMER_NAME_MAX) errors.name = 'me.error.name.long';
	const phone = normalizeRuPhone(form.phone ?? '');
	if (!phone.ok) errors.phone = `me.error.phone.${phone.error}`;
	const email = normalizeEmail(form.email ?? '');
	if (!email.ok) errors.email = `me.error.email.${email.error}`;
	const password = form.password ?? '';
	const verdict = checkPassword(password, { email: email.ok ? email.email : undefined });
	if (!verdict.ok) errors.password = `me.error.password.${verdict.error}`;
	if (form.passwordRepeat !== undefined && form.passwordRepeat !== password) {
		errors.passwordRepeat = 'me.error.password.mismatch';
	}
	if (form.consentPersonalData !== true) {
		errors.consentPersonalData = 'privacy.error.consentPersonalData.required';
	}
	if (Object.keys(errors).length > 0 || !phone.ok || !email.ok) {
		return { ok: false, fieldErrors: errors };
	}
	return {
		ok: true,
		value: {
			name,
			phone: phone.e164,
			email: email.email,
			password,
			consentMarketing: form.consentMarketing === true
		}
	};
}
