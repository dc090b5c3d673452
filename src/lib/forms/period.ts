/**
 * Periods of the operations list ("Клиенты"): a day, a month, a year or a custom range of
 * local calendar dates in the company's time zone. Shared by the page (which builds them and
 * keeps them in the URL) and the server (which validates them).
 */
export type PeriodKind = 'day' | 'month' | 'year' | 'custom';

export type Period =
	| { kind: 'day' | 'month' | 'year'; anchor?: string }
	| { kind: 'custom'; from: string; to: string };

/** The longest custom range: three years and a bit. */
export const MAX_CUSTOM_DAYS = 1100;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD (no 2025-02-30). */
export function isLocalDate(text: string): boolean {
	const m = DATE.exec(text);
	if (!m) return false;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	if (y < 1970 || y > 9999) return false;
	const date = new Date(Date.UTC(y, mo - 1, d));
	return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Days from `from` to `to`, both included (1 for the same day). */
export function daysInRange(from: string, to: string): number {
	return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
}

/** Today's date in a time zone, YYYY-MM-DD. */
export function todayIn(timeZone: string, now = new Date()): string {
	return new Intl.DateTimeFormat('en-CA', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit'
	}).format(now);
}

/** A period from URL search parameters (`period`, `date`, `from`, `to`); month by default. */
export function periodFromParams(params: URLSearchParams): Period {
	const kind = params.get('period');
	if (kind === 'custom') {
		const from = params.get('from') ?? '';
		const to = params.get('to') ?? '';
		if (isLocalDate(from) && isLocalDate(to) && from <= to) return { kind, from, to };
		return { kind: 'month' };
	}
	const anchor = params.get('date') ?? '';
	const k = kind === 'day' || kind === 'year' ? kind : 'month';
	return isLocalDate(anchor) ? { kind: k, anchor } : { kind: k };
}

/** The URL search parameters of a period (the inverse of periodFromParams). */
export function periodToParams(period: Period): URLSearchParams {
	const params = new URLSearchParams({ period: period.kind });
	if (period.kind === 'custom') {
		params.set('from', period.from);
		params.set('to', period.to);
	} else if (period.anchor) {
		params.set('date', period.anchor);
	}
	return params;
}

/** The same kind of period one step earlier (-1) or later (+1), from a known anchor date. */
export function shiftPeriod(period: Period, anchor: string, step: -1 | 1): Period {
	if (period.kind === 'custom') return period;
	const [y, m, d] = anchor.split('-').map(Number) as [number, number, number];
	const date = new Date(Date.UTC(y, m - 1, period.kind === 'day' ? d : 1));
	if (period.kind === 'day') date.setUTCDate(date.getUTCDate() + step);
	else if (period.kind === 'month') date.setUTCMonth(date.getUTCMonth() + step);
	else date.setUTCFullYear(date.getUTCFullYear() + step);
	return { kind: period.kind, anchor: date.toISOString().slice(0, 10) };
}

/**
 * The period's first and last local calendar dates (both included), worked out on the device
 * from `today` in the company's zone: what the page shows when the server cannot say.
 */
export function periodDates(period: Period, today: string): { first: string; last: string } {
	if (period.kind === 'custom') return { first: period.from, last: period.to };
	const anchor = period.anchor ?? today;
	if (period.kind === 'day') return { first: anchor, last: anchor };
	const [y, m] = anchor.split('-').map(Number) as [number, number];
	if (period.kind === 'year') return { first: `${y}-01-01`, last: `${y}-12-31` };
	// Day 0 of the next month is the last day of this one.
	const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
	const month = String(m).padStart(2, '0');
	return { first: `${y}-${month}-01`, last: `${y}-${month}-${String(lastDay).padStart(2, '0')}` };
}
