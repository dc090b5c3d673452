import { clients } from './catalogue/clients';
import { common } from './catalogue/common';
import { connection } from './catalogue/connection';
import { company } from './catalogue/company';
import { counter } from './catalogue/counter';
import { device } from './catalogue/device';
import { me } from './catalogue/me';
import { partner } from './catalogue/partner';
import { passwordReset } from './catalogue/password-reset';
import { operator } from './catalogue/operator';
import { redeem } from './catalogue/redeem';
import { privacy } from './catalogue/privacy';
import { probes } from './catalogue/probes';
import { register } from './catalogue/register';
import { statements } from './catalogue/statements';
import { terminals } from './catalogue/terminals';
import { review } from './catalogue/review';
import { integrations } from './catalogue/integrations';
import { webhooks } from './catalogue/webhooks';
import { program } from './catalogue/program';

/**
 * The message catalogue: one file per area in ./catalogue, each `{ ru: {...}, en: {...} }`.
 * Add an area by importing it into `areas`. Russian is complete; English falls back to Russian
 * for a missing key, and a key missing from both shows itself so it gets noticed.
 */
const areas = [
	common,
	counter,
	partner,
	me,
	register,
	company,
	operator,
	clients,
	device,
	statements,
	redeem,
	privacy,
	terminals,
	passwordReset,
	connection,
	probes,
	review,
	integrations,
	webhooks,
	program
];

export type Locale = 'ru' | 'en';
export const LOCALES: readonly Locale[] = ['ru', 'en'];
export const DEFAULT_LOCALE: Locale = 'ru';
export const LOCALE_COOKIE = 'kopek_lang';

const messages: Record<Locale, Record<string, string>> = { ru: {}, en: {} };
for (const area of areas) {
	Object.assign(messages.ru, area.ru);
	Object.assign(messages.en, area.en);
}

export function isLocale(value: unknown): value is Locale {
	return value === 'ru' || value === 'en';
}

/** Intl locale tag for a UI locale: numbers, money and dates follow it. */
export function intlLocale(locale: Locale): string {
	return locale === 'en' ? 'en-GB' : 'ru-RU';
}

/** Looks a message up and fills `{name}` placeholders. */
export function translate(
	locale: Locale,
	key: string,
	params?: Record<string, string | number>
): string {
	const template = messages[locale][key] ?? messages.ru[key] ?? key;
	if (!params) return template;
	return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
		name in params ? String(params[name]) : whole
	);
}

export function hasMessage(key: string): boolean {
	return key in messages.ru;
}

export function allKeys(locale: Locale): string[] {
	return Object.keys(messages[locale]);
}
