/** How long ago, coarse: "только что", "5 мин", "3 ч", "2 дн". */
export function ageKey(fromIso: string, now: number): { key: string; n: number } {
	const minutes = Math.max(0, Math.floor((now - Date.parse(fromIso)) / 60_000));
	if (minutes < 1) return { key: 'counter.age.justNow', n: 0 };
	if (minutes < 60) return { key: 'counter.age.minutes', n: minutes };
	const hours = Math.floor(minutes / 60);
	if (hours < 48) return { key: 'counter.age.hours', n: hours };
	return { key: 'counter.age.days', n: Math.floor(hours / 24) };
}

/** A date and time the seed's way ("11.08.2019, 16:03"), in the company's time zone. */
export function formatDateTime(iso: string, intlLocale: string, timeZone?: string): string {
	return new Intl.DateTimeFormat(intlLocale, {
		day: '2-digit',
		month: '2-digit',
		year: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
		timeZone
	}).format(new Date(iso));
}

export function formatTime(iso: string | number, intlLocale: string): string {
	return new Intl.DateTimeFormat(intlLocale, { hour: '2-digit', minute: '2-digit' }).format(
		new Date(iso)
	);
}
