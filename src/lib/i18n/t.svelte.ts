import { page } from '$app/state';
import { DEFAULT_LOCALE, intlLocale, isLocale, translate, type Locale } from './index';

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
