/**
 * Money: integer kopecks and basis-point rates, never floats.
 *
 * Amounts travel as integer kopecks (`bigint` in SQL, a safe integer `number` here). Rates
 * are basis points: 10 % = 1000 bp. `computeCashback` is THE cashback rule; the counter's
 * preview and the server's authoritative figure both call it.
 */

/** An amount of money in kopecks: an integer within `Number.MAX_SAFE_INTEGER`. */
export type Kopecks = number;

/** Largest bill the product accepts: 10 000 000 RUB. */
export const MAX_AMOUNT_KOPECKS = 1_000_000_000;

/** Smallest bill the product accepts: 1 kopeck. */
export const MIN_AMOUNT_KOPECKS = 1;

/** A rate of 100 % in basis points, the largest valid rate. */
export const MAX_RATE_BP = 10_000;

/**
 * Upper bound of what `parseRubles` turns into a number (10 000 000 000 RUB). Far above any
 * business limit, far below `Number.MAX_SAFE_INTEGER`; the business range is
 * `isValidPaymentAmount`'s job.
 */
export const MAX_PARSE_KOPECKS = 1_000_000_000_000;

export type ParseRublesError = 'empty' | 'format' | 'negative' | 'too_many_decimals' | 'too_large';
export type ParseRublesResult =
	{ ok: true; kopecks: Kopecks } | { ok: false; error: ParseRublesError };

// Ordinary space, no-break space, narrow no-break space (ru-RU Intl output) and thin space.
const GROUP_SEPARATOR = '[ \\u00A0\\u202F\\u2009]';
const AMOUNT_PATTERN = new RegExp(`^(\\d+|\\d{1,3}(?:${GROUP_SEPARATOR}\\d{3})+)(?:[.,](\\d+))?$`);
const CURRENCY_SUFFIX = /\s*(?:₽|руб\.?|р\.)$/iu;
const MINUS = /^[-\u2212]/;

/** Integer value of an ASCII digit string, by integer arithmetic only. */
function digitsToInt(digits: string): number {
	let value = 0;
	for (const ch of digits) value = value * 10 + (ch.charCodeAt(0) - 48);
	return value;
}

function parseUnsignedRubles(text: string): ParseRublesResult {
	const match = AMOUNT_PATTERN.exec(text);
	if (!match) return { ok: false, error: 'format' };
	const whole = (match[1] ?? '').replace(/\D/g, '').replace(/^0+(?=\d)/, '');
	const fraction = match[2] ?? '';
	if (fraction.length > 2) return { ok: false, error: 'too_many_decimals' };
	// 11 digits are 10^11 RUB at most: compare safely as integers, longer is too large anyway.
	if (whole.length > 11) return { ok: false, error: 'too_large' };
	const kopecks = digitsToInt(whole) * 100 + digitsToInt(fraction.padEnd(2, '0'));
	if (kopecks > MAX_PARSE_KOPECKS) return { ok: false, error: 'too_large' };
	return { ok: true, kopecks };
}

/**
 * Parses a ruble amount as a person types it: `1234`, `1234,5`, `1 234,56`, `1234.56`,
 * `0,01`, with spaces / no-break spaces as thousands separators and an optional trailing
 * `₽`, `руб.` or `р.`. Refuses signs, exponents, `NaN`, more than two decimals, a second
 * decimal separator (`1,2,3`) and a missing integer part (`.5`). Does not check the
 * business range: see `isValidPaymentAmount`.
 */
export function parseRubles(input: string): ParseRublesResult {
	let text = input.trim();
	if (text === '') return { ok: false, error: 'empty' };
	text = text.replace(CURRENCY_SUFFIX, '').trim();
	if (MINUS.test(text)) {
		const rest = parseUnsignedRubles(text.slice(1).trim());
		return { ok: false, error: rest.ok ? 'negative' : rest.error };
	}
	return parseUnsignedRubles(text);
}

/** True for an integer bill amount within `MIN_AMOUNT_KOPECKS..MAX_AMOUNT_KOPECKS`. */
export function isValidPaymentAmount(kopecks: number): boolean {
	return (
		Number.isSafeInteger(kopecks) && kopecks >= MIN_AMOUNT_KOPECKS && kopecks <= MAX_AMOUNT_KOPECKS
	);
}

function assertKopecks(kopecks: number): void {
	if (!Number.isSafeInteger(kopecks)) {
		throw new RangeError(`kopecks must be a safe integer, got ${kopecks}`);
	}
}

/**
 * The exact decimal ruble value of `kopecks` with two fraction digits and no grouping,
 * e.g. `123456` → `"1234.56"`; with `','` it is what Russian Excel expects in a CSV cell.
 */
export function kopecksToDecimalString(kopecks: number, decimalSeparator: '.' | ',' = '.'): string {
	assertKopecks(kopecks);
	const sign = kopecks < 0 ? '-' : '';
	const abs = Math.abs(kopecks);
	const rubles = Math.floor(abs / 100);
	const rest = String(abs % 100).padStart(2, '0');
	return `${sign}${rubles}${decimalSeparator}${rest}`;
}

// Intl.NumberFormat formats decimal strings exactly (ES2023); older engines coerce the
// string to a number, which is still exact for every amount below 10^13 rubles.
function exactDecimal(kopecks: number): `${number}` {
	return kopecksToDecimalString(kopecks) as `${number}`;
}

/**
 * THE display format of money, used on every screen: grouped, always two decimals, with the
 * ruble sign, e.g. `123456` → `"1 234,56 ₽"` in ru-RU. `{ symbol: false }` leaves the sign
 * out where a label already says "руб." (`"1 234,56"`).
 */
export function formatRubles(
	kopecks: number,
	locale = 'ru-RU',
	{ symbol = true }: { symbol?: boolean } = {}
): string {
	const options: Intl.NumberFormatOptions = symbol
		? { style: 'currency', currency: 'RUB' }
		: { minimumFractionDigits: 2, maximumFractionDigits: 2 };
	return new Intl.NumberFormat(locale, options).format(exactDecimal(kopecks));
}

function assertRateBp(rateBp: number): void {
	if (!Number.isInteger(rateBp) || rateBp < 0 || rateBp > MAX_RATE_BP) {
		throw new RangeError(`rateBp must be an integer in 0..${MAX_RATE_BP}, got ${rateBp}`);
	}
}

/** A basis-point rate as a locale percentage, e.g. `1000` → `"10 %"`, `1250` → `"12,5 %"`. */
export function formatRate(rateBp: number, locale = 'ru-RU'): string {
	assertRateBp(rateBp);
	const fraction = `${Math.floor(rateBp / MAX_RATE_BP)}.${String(rateBp % MAX_RATE_BP).padStart(4, '0')}`;
	return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(
		fraction as `${number}`
	);
}

/**
 * Cashback for a bill: `amountKopecks × rateBp / 10000`, rounded half up to the kopeck, in
 * exact integer arithmetic. THE one cashback rule: the counter's preview and the server's
 * authoritative figure both come from here.
 *
 * @throws RangeError if the amount is not a non-negative safe integer or the rate is not
 *   an integer in `0..10000`: a caller passing those has broken an invariant.
 */
export function computeCashback(amountKopecks: number, rateBp: number): Kopecks {
	if (!Number.isSafeInteger(amountKopecks) || amountKopecks < 0) {
		throw new RangeError(`amountKopecks must be a non-negative safe integer, got ${amountKopecks}`);
	}
	assertRateBp(rateBp);
	// amount = q·10000 + r, so amount·rate/10000 = q·rate + r·rate/10000 with q·rate exact
	// and r·rate < 10^8: every intermediate stays a safe integer.
	const q = Math.floor(amountKopecks / MAX_RATE_BP);
	const r = amountKopecks % MAX_RATE_BP;
	return q * rateBp + Math.floor((2 * r * rateBp + MAX_RATE_BP) / (2 * MAX_RATE_BP));
}

export type PercentToBpResult = { ok: true; bp: number } | { ok: false };

const PERCENT_PATTERN = /^(\d{1,3})(?:[.,](\d{1,2}))?$/;

/**
 * Parses a percentage as typed in a form (`"10"`, `"10,5"`, `"12.25"`, optional trailing
 * `%`) into basis points. Accepts 0..100 with at most two decimals.
 */
export function percentToBp(input: string): PercentToBpResult {
	const text = input.trim().replace(/\s*%$/, '');
	const match = PERCENT_PATTERN.exec(text);
	if (!match) return { ok: false };
	const bp = digitsToInt(match[1] ?? '') * 100 + digitsToInt((match[2] ?? '').padEnd(2, '0'));
	if (bp > MAX_RATE_BP) return { ok: false };
	return { ok: true, bp };
}

/**
 * Basis points as the percentage a person types, with a decimal comma and no trailing
 * zeros: `1000` → `"10"`, `1225` → `"12,25"`, `1250` → `"12,5"`. Inverse of `percentToBp`.
 */
export function bpToPercentString(bp: number): string {
	assertRateBp(bp);
	const whole = Math.floor(bp / 100);
	const fraction = bp % 100;
	if (fraction === 0) return String(whole);
	return `${whole},${String(fraction).padStart(2, '0').replace(/0$/, '')}`;
}
