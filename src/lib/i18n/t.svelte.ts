import { page } from '$app/state';
import { DEFAULT_LOCALE, hasMessage, intlLocale, isLocale, translate, type Locale } from './index';

/**
 * The current UI locale: from the page data every layout provides (`locale`), falling back to
 * the document's lang on the client. Reading `page` makes it per request on the server.
 */
export function currentLocale(): Locale {
	const fromData = page.data?.locale;
	if (isLocale(fromData)) return fromData;
	if (typeof document !== 'undefined' && isLocale(document.documentElement.lang)) {
		return document.documentElement.lang;
	}
	return DEFAULT_LOCALE;
}

/** `t('login.title')` in components and templates. */
export function t(key: string, params?: Record<string, string | number>): string {
	return translate(currentLocale(), key, params);
}

/** The Intl tag for numbers, money and dates in the current locale. */
export function currentIntlLocale(): string {
	return intlLocale(currentLocale());
}

/** The platform's own zone (Kopek's office): times that belong to no company, e.g. licenses. */
export const PLATFORM_TIME_ZONE = 'Europe/Moscow';

/** A time zone as people name it, e.g. "Москва (UTC+3)"; an unknown zone as it is. */
export function zoneName(timeZone: string): string {
	const key = `tz.${timeZone}`;
	return hasMessage(key) ? t(key) : timeZone;
}

/**
 * A moment as a date and time in a company's time zone: every operator, partner and company
 * page shows a company's times in its own zone, never the browser's.
 */
export function formatInZone(
	moment: Date | string | number,
	timeZone: string,
	style: Pick<Intl.DateTimeFormatOptions, 'dateStyle' | 'timeStyle'> = {
		dateStyle: 'medium',
		timeStyle: 'short'
	}
): string {
	const at = typeof moment === 'string' ? Date.parse(moment) : moment;
	return new Intl.DateTimeFormat(currentIntlLocale(), { ...style, timeZone }).format(at);
}
