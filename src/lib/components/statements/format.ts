/** A month `YYYY-MM` in words, e.g. `ноябрь 2026 г.` in ru-RU. */
export function formatMonth(month: string, locale: string): string {
	const [y, m] = month.split('-').map(Number) as [number, number];
	return new Intl.DateTimeFormat(locale, {
		month: 'long',
		year: 'numeric',
		timeZone: 'UTC'
	}).format(new Date(Date.UTC(y, m - 1, 1)));
}

/** A closing moment in the company's zone. */
export function formatMoment(iso: string, locale: string, timeZone: string): string {
	return new Intl.DateTimeFormat(locale, {
		dateStyle: 'long',
		timeStyle: 'short',
		timeZone
	}).format(new Date(iso));
}
