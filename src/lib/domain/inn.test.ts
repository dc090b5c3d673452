import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
	innCheckDigits,
	isValidInn,
	isValidKpp,
	isValidOgrn,
	isValidOgrnip,
	ogrnCheckDigit,
	validateInn,
	validateOgrn
} from './inn';

// Independent reference implementations, written from the FTS description.
function refWeighted(digits: string, weights: number[]): string {
	const sum = weights.reduce((acc, w, i) => acc + w * Number(digits[i]), 0);
	return String((sum % 11) % 10);
}
function refInn(body: string): string {
	if (body.length === 9) return body + refWeighted(body, [2, 4, 10, 3, 5, 9, 4, 6, 8]);
	const eleven = body + refWeighted(body, [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]);
	return eleven + refWeighted(eleven, [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]);
}
/** Decimal string mod m by long division, no BigInt. */
function refMod(digits: string, m: number): number {
	return [...digits].reduce((r, d) => (r * 10 + Number(d)) % m, 0);
}
function refOgrn(body: string): string {
	return body + String(refMod(body, body.length === 12 ? 11 : 13) % 10);
}

/** Every string equal to `valid` except in the check digits at and after `from`. */
function otherCheckDigits(valid: string, from: number): string[] {
	const width = valid.length - from;
	const out: string[] = [];
	for (let n = 0; n < 10 ** width; n++) {
		const tail = String(n).padStart(width, '0');
		if (tail !== valid.slice(from)) out.push(valid.slice(0, from) + tail);
	}
	return out;
}

const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));

describe('INN', () => {
	const legal = ['7707083893', '7736207543', '7830002293', '7702070139'];
	const individual = ['500100732259'];

	it.each(legal)('accepts the legal entity INN %s', (inn) => {
		expect(refInn(inn.slice(0, 9))).toBe(inn); // the fixture itself is checked
		expect(validateInn(inn)).toEqual({ ok: true, inn, kind: 'legal' });
		expect(isValidInn(inn)).toBe(true);
	});

	it.each(individual)('accepts the individual entrepreneur INN %s', (inn) => {
		expect(refInn(inn.slice(0, 10))).toBe(inn);
		expect(validateInn(inn)).toEqual({ ok: true, inn, kind: 'individual' });
		expect(isValidInn(inn)).toBe(true);
	});

	it.each(legal)('refuses every other check digit of %s', (inn) => {
		const others = otherCheckDigits(inn, 9);
		expect(others).toHaveLength(9);
		for (const wrong of others)
			expect(validateInn(wrong)).toEqual({ ok: false, error: 'checksum' });
	});

	it.each(individual)('refuses every other pair of check digits of %s', (inn) => {
		const others = otherCheckDigits(inn, 10);
		expect(others).toHaveLength(99);
		for (const wrong of others) expect(isValidInn(wrong)).toBe(false);
	});

	it.each([
		['', 'empty'],
		['  ', 'empty'],
		['0000000000', 'format'],
		['000000000000', 'format'],
		['77070838 93', 'format'],
		['770708389X', 'format'],
		['-707083893', 'format'],
		['770708389', 'length'],
		['77070838931', 'length'],
		['7707083894', 'checksum'],
		['500100732258', 'checksum']
	])('refuses %j with %s', (input, error) => {
		expect(validateInn(input)).toEqual({ ok: false, error });
	});

	it('trims spaces in validateInn but isValidInn wants the stored form', () => {
		expect(validateInn(' 7707083893 ')).toEqual({ ok: true, inn: '7707083893', kind: 'legal' });
		expect(isValidInn(' 7707083893 ')).toBe(false);
	});

	it('computes the same check digits as the reference for random bodies', () => {
		fc.assert(
			fc.property(fc.oneof(digits(9), digits(10)), (body) => {
				fc.pre(!/^0+$/.test(body));
				const inn = refInn(body);
				expect(body + innCheckDigits(body)).toBe(inn);
				expect(isValidInn(inn)).toBe(true);
				for (const wrong of otherCheckDigits(inn, body.length)) {
					expect(isValidInn(wrong)).toBe(false);
				}
			})
		);
	});

	it('agrees with the reference on arbitrary 10- and 12-digit strings', () => {
		fc.assert(
			fc.property(fc.oneof(digits(10), digits(12)), (inn) => {
				const body = inn.slice(0, inn.length === 10 ? 9 : 10);
				const expected = refInn(body) === inn && !/^0+$/.test(inn);
				expect(isValidInn(inn)).toBe(expected);
			})
		);
	});
});

describe('OGRN / OGRNIP', () => {
	const ogrns = ['1027700132195', '1027700229193', '1027739609391'];
	const ogrnips = ['304500116000157'];

	it.each(ogrns)('accepts the OGRN %s', (ogrn) => {
		expect(refOgrn(ogrn.slice(0, 12))).toBe(ogrn);
		expect(isValidOgrn(ogrn)).toBe(true);
		expect(isValidOgrnip(ogrn)).toBe(false);
		expect(validateOgrn(ogrn)).toEqual({ ok: true, ogrn, kind: 'legal' });
	});

	it.each(ogrnips)('accepts the OGRNIP %s', (ogrnip) => {
		expect(refOgrn(ogrnip.slice(0, 14))).toBe(ogrnip);
		expect(isValidOgrnip(ogrnip)).toBe(true);
		expect(isValidOgrn(ogrnip)).toBe(false);
		expect(validateOgrn(ogrnip)).toEqual({ ok: true, ogrn: ogrnip, kind: 'individual' });
	});

	it.each([...ogrns, ...ogrnips])('refuses every other check digit of %s', (valid) => {
		const others = otherCheckDigits(valid, valid.length - 1);
		expect(others).toHaveLength(9);
		for (const wrong of others)
			expect(validateOgrn(wrong)).toEqual({ ok: false, error: 'checksum' });
	});

	it.each([
		['', 'empty'],
		['0000000000000', 'format'],
		['000000000000000', 'format'],
		['102770013219O', 'format'],
		['102770013219', 'length'],
		['10277001321950', 'length'],
		['1027700132196', 'checksum'],
		['304500116000158', 'checksum']
	])('refuses %j with %s', (input, error) => {
		expect(validateOgrn(input)).toEqual({ ok: false, error });
	});

	it('computes the check digit of extreme bodies exactly', () => {
		// 10^14 − 1 ≡ 100 − 1 ≡ 8 (mod 13), since 10^6 ≡ 1 (mod 13).
		expect(ogrnCheckDigit('99999999999999')).toBe(8);
		expect(ogrnCheckDigit('00000000000001')).toBe(1);
		expect(() => ogrnCheckDigit('123')).toThrow(RangeError);
	});

	it('computes the same check digit as the reference for random bodies', () => {
		fc.assert(
			fc.property(fc.oneof(digits(12), digits(14)), (body) => {
				fc.pre(!/^0+$/.test(body));
				const valid = refOgrn(body);
				expect(String(ogrnCheckDigit(body))).toBe(valid.slice(-1));
				expect(validateOgrn(valid).ok).toBe(true);
				for (const wrong of otherCheckDigits(valid, body.length)) {
					expect(validateOgrn(wrong).ok).toBe(false);
				}
			})
		);
	});
});

describe('KPP', () => {
	it.each(['773601001', '770701001', '7736AB001', '1234Z0123'])('accepts %s', (kpp) => {
		expect(isValidKpp(kpp)).toBe(true);
	});

	it.each([
		'',
		'77360100',
		'7736010011',
		'7736ab001',
		'A73601001',
		'77360100A',
		'7736 1001',
		'7736Я1001'
	])('refuses %j', (kpp) => {
		expect(isValidKpp(kpp)).toBe(false);
	});
});
