/**
 * Russian company identifiers, checked with the Federal Tax Service algorithms:
 * ИНН (INN, taxpayer number), ОГРН / ОГРНИП (OGRN, state registration number) and КПП
 * (KPP, registration reason code). Checked in the browser for instant feedback and again
 * on the server.
 */

const DIGITS = /^\d+$/;
const ALL_ZERO = /^0+$/;

const INN10_WEIGHTS = [2, 4, 10, 3, 5, 9, 4, 6, 8] as const;
const INN12_WEIGHTS_1 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8] as const;
const INN12_WEIGHTS_2 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8] as const;

/** Σ digit·weight over the first `weights.length` digits, mod 11, mod 10. */
function innCheckDigit(digits: string, weights: readonly number[]): number {
	let sum = 0;
	for (let i = 0; i < weights.length; i++) sum += (digits.charCodeAt(i) - 48) * (weights[i] ?? 0);
	return (sum % 11) % 10;
}

/**
 * The check digit(s) an INN body should carry: 9 digits → the 10th digit of a legal
 * entity's INN; 10 digits → the 11th and 12th digits of an individual's INN.
 *
 * @throws RangeError for any other input.
 */
export function innCheckDigits(body: string): string {
	if (!DIGITS.test(body)) throw new RangeError('INN body must be digits');
	if (body.length === 9) return String(innCheckDigit(body, INN10_WEIGHTS));
	if (body.length === 10) {
		const first = innCheckDigit(body, INN12_WEIGHTS_1);
		return `${first}${innCheckDigit(body + String(first), INN12_WEIGHTS_2)}`;
	}
	throw new RangeError('INN body must have 9 or 10 digits');
}

export type InnKind = 'legal' | 'individual';
export type IdentifierError = 'empty' | 'format' | 'length' | 'checksum';
export type ValidateInnResult =
	{ ok: true; inn: string; kind: InnKind } | { ok: false; error: IdentifierError };

/**
 * Validates an INN as typed (surrounding spaces ignored): 10 digits for a legal entity,
 * 12 for an individual entrepreneur, check digit(s) per the FTS algorithm. All zeros is
 * refused as `format`: it passes the checksum but is never issued.
 */
export function validateInn(input: string): ValidateInnResult {
	const inn = input.trim();
	if (inn === '') return { ok: false, error: 'empty' };
	if (!DIGITS.test(inn) || ALL_ZERO.test(inn)) return { ok: false, error: 'format' };
	if (inn.length !== 10 && inn.length !== 12) return { ok: false, error: 'length' };
	const body = inn.slice(0, inn.length === 10 ? 9 : 10);
	if (inn.slice(body.length) !== innCheckDigits(body)) return { ok: false, error: 'checksum' };
	return { ok: true, inn, kind: inn.length === 10 ? 'legal' : 'individual' };
}

/** True for a valid 10- or 12-digit INN exactly as stored (no spaces). */
export function isValidInn(inn: string): boolean {
	const result = validateInn(inn);
	return result.ok && result.inn === inn;
}

/**
 * The check digit an OGRN (12-digit body) or OGRNIP (14-digit body) should carry:
 * the body as a number mod 11 (OGRN) or mod 13 (OGRNIP), then mod 10.
 *
 * @throws RangeError for any other input.
 */
export function ogrnCheckDigit(body: string): number {
	if (!DIGITS.test(body)) throw new RangeError('OGRN body must be digits');
	// BigInt keeps the modulo exact without reasoning about float range.
	if (body.length === 12) return Number((BigInt(body) % 11n) % 10n);
	if (body.length === 14) return Number((BigInt(body) % 13n) % 10n);
	throw new RangeError('OGRN body must have 12 or 14 digits');
}

export type OgrnKind = 'legal' | 'individual';
export type ValidateOgrnResult =
	{ ok: true; ogrn: string; kind: OgrnKind } | { ok: false; error: IdentifierError };

/**
 * Validates an OGRN (13 digits, legal entity) or OGRNIP (15 digits, individual
 * entrepreneur) as typed, surrounding spaces ignored. All zeros is refused as `format`.
 */
export function validateOgrn(input: string): ValidateOgrnResult {
	const ogrn = input.trim();
	if (ogrn === '') return { ok: false, error: 'empty' };
	if (!DIGITS.test(ogrn) || ALL_ZERO.test(ogrn)) return { ok: false, error: 'format' };
	if (ogrn.length !== 13 && ogrn.length !== 15) return { ok: false, error: 'length' };
	const body = ogrn.slice(0, -1);
	if (ogrn.slice(-1) !== String(ogrnCheckDigit(body))) return { ok: false, error: 'checksum' };
	return { ok: true, ogrn, kind: ogrn.length === 13 ? 'legal' : 'individual' };
}

/** True for a valid 13-digit OGRN exactly as stored. */
export function isValidOgrn(ogrn: string): boolean {
	const result = validateOgrn(ogrn);
	return result.ok && result.kind === 'legal' && result.ogrn === ogrn;
}

/** True for a valid 15-digit OGRNIP exactly as stored. */
export function isValidOgrnip(ogrnip: string): boolean {
	const result = validateOgrn(ogrnip);
	return result.ok && result.kind === 'individual' && result.ogrn === ogrnip;
}

/**
 * True for a well-formed KPP: 4 digits (tax office code), 2 digits or capital Latin
 * letters (reason code), 3 digits (sequence number). KPP has no check digit.
 */
export function isValidKpp(kpp: string): boolean {
	return /^\d{4}[\dA-Z]{2}\d{3}$/.test(kpp);
}
