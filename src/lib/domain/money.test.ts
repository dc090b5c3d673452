import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
	MAX_AMOUNT_KOPECKS,
	MAX_PARSE_KOPECKS,
	MIN_AMOUNT_KOPECKS,
	bpToPercentString,
	computeCashback,
	formatRate,
	formatRubles,
	isValidPaymentAmount,
	kopecksToDecimalString,
	parseRubles,
	percentToBp
} from './money';

const NBSP = '\u00A0';

/** Independent reference: exact rational amount·rate/10000 rounded half up, in BigInt. */
function referenceCashback(amount: number, rate: number): number {
	return Number((2n * BigInt(amount) * BigInt(rate) + 10_000n) / 20_000n);
}

const amount = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const businessAmount = fc.integer({ min: 0, max: MAX_AMOUNT_KOPECKS });
const rate = fc.integer({ min: 0, max: 10_000 });

describe('parseRubles', () => {
	it.each([
		['1234', 123_400],
		['1234,5', 123_450],
		['1234.56', 123_456],
		['1 234,56', 123_456],
		[`1${NBSP}234,56`, 123_456],
		['1\u202F234\u202F567,89', 123_456_789],
		['0,01', 1],
		['0.5', 50],
		['0', 0],
		['007', 700],
		['  42  ', 4200],
		['10 000 000', 1_000_000_000],
		['1 234,56 ₽', 123_456],
		['15 руб.', 1500],
		['15 р.', 1500],
		['10000000000', MAX_PARSE_KOPECKS]
	])('accepts %j as %i kopecks', (input, kopecks) => {
		expect(parseRubles(input)).toEqual({ ok: true, kopecks });
	});

	it.each([
		['', 'empty'],
		['   ', 'empty'],
		['-5', 'negative'],
		['\u22125', 'negative'],
		['-1 234,56', 'negative'],
		['1,2,3', 'format'],
		['1.2.3', 'format'],
		['1e5', 'format'],
		['NaN', 'format'],
		['Infinity', 'format'],
		['.5', 'format'],
		['5.', 'format'],
		['+5', 'format'],
		['12 34', 'format'],
		['1 2345', 'format'],
		['1.234,56', 'format'],
		['0x10', 'format'],
		['abc', 'format'],
		['₽', 'format'],
		['1,234', 'too_many_decimals'],
		['0,001', 'too_many_decimals'],
		['10000000000,01', 'too_large'],
		['99999999999', 'too_large'],
		['123456789012345678901234567890', 'too_large']
	])('refuses %j with %s', (input, error) => {
		expect(parseRubles(input)).toEqual({ ok: false, error });
	});

	it('round-trips plain "1234,56" strings', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: MAX_PARSE_KOPECKS }), (kopecks) => {
				const text = `${Math.floor(kopecks / 100)},${String(kopecks % 100).padStart(2, '0')}`;
				expect(parseRubles(text)).toEqual({ ok: true, kopecks });
			})
		);
	});

	it('round-trips its own formatters', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: MAX_PARSE_KOPECKS }), (kopecks) => {
				expect(parseRubles(formatRubles(kopecks))).toEqual({ ok: true, kopecks });
				expect(parseRubles(formatRubles(kopecks, 'ru-RU', { symbol: false }))).toEqual({
					ok: true,
					kopecks
				});
				expect(parseRubles(kopecksToDecimalString(kopecks))).toEqual({ ok: true, kopecks });
			})
		);
	});

	it('refuses anything that is not a plain decimal', () => {
		const junk = fc.oneof(
			fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e5', '1E5', '1,2,3', '--5'),
			fc.double({ noNaN: false }).map((x) => x.toExponential())
		);
		fc.assert(
			fc.property(junk, (text) => {
				expect(parseRubles(text).ok).toBe(false);
			})
		);
	});

	it('refuses every negative amount as negative', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: MAX_PARSE_KOPECKS }), (kopecks) => {
				expect(parseRubles(`-${kopecksToDecimalString(kopecks, ',')}`)).toEqual({
					ok: false,
					error: 'negative'
				});
			})
		);
	});
});

describe('isValidPaymentAmount', () => {
	it('accepts exactly MIN..MAX integer kopecks', () => {
		expect(isValidPaymentAmount(MIN_AMOUNT_KOPECKS)).toBe(true);
		expect(isValidPaymentAmount(MAX_AMOUNT_KOPECKS)).toBe(true);
		expect(isValidPaymentAmount(0)).toBe(false);
		expect(isValidPaymentAmount(MAX_AMOUNT_KOPECKS + 1)).toBe(false);
		expect(isValidPaymentAmount(1.5)).toBe(false);
		expect(isValidPaymentAmount(Number.NaN)).toBe(false);
		expect(MAX_AMOUNT_KOPECKS).toBe(10_000_000 * 100);
	});
});

describe('formatting', () => {
	it('formats rubles in ru-RU currency style', () => {
		expect(formatRubles(123_456)).toBe(`1${NBSP}234,56${NBSP}₽`);
		expect(formatRubles(10)).toBe(`0,10${NBSP}₽`);
		expect(formatRubles(-500)).toBe(`-5,00${NBSP}₽`);
		expect(formatRubles(Number.MAX_SAFE_INTEGER)).toBe(
			`90${NBSP}071${NBSP}992${NBSP}547${NBSP}409,91${NBSP}₽`
		);
	});

	it('formats every amount with two decimals, with or without the ruble sign', () => {
		expect(formatRubles(10, 'ru-RU', { symbol: false })).toBe('0,10');
		expect(formatRubles(22_250, 'ru-RU', { symbol: false })).toBe('222,50');
		expect(formatRubles(100_000_000, 'ru-RU', { symbol: false })).toBe(`1${NBSP}000${NBSP}000,00`);
		expect(formatRubles(10, 'en-US', { symbol: false })).toBe('0.10');
		expect(formatRubles(22_250, 'en-US')).toBe('RUB\u00A0222.50');
	});

	it('formats exact decimal strings', () => {
		expect(kopecksToDecimalString(123_456)).toBe('1234.56');
		expect(kopecksToDecimalString(5, ',')).toBe('0,05');
		expect(kopecksToDecimalString(-5)).toBe('-0.05');
		expect(() => kopecksToDecimalString(0.5)).toThrow(RangeError);
	});

	it('formats basis-point rates as percentages', () => {
		expect(formatRate(1000)).toBe(`10${NBSP}%`);
		expect(formatRate(1250)).toBe(`12,5${NBSP}%`);
		expect(formatRate(1234)).toBe(`12,34${NBSP}%`);
		expect(formatRate(0)).toBe(`0${NBSP}%`);
		expect(formatRate(10_000)).toBe(`100${NBSP}%`);
		expect(formatRate(1000, 'en-US')).toBe('10%');
		expect(() => formatRate(10_001)).toThrow(RangeError);
	});
});

describe('computeCashback', () => {
	it('matches the seed: 10 % of 1 RUB is 0.1 RUB, of 8769 RUB is 876.9 RUB', () => {
		expect(computeCashback(100, 1000)).toBe(10);
		expect(computeCashback(876_900, 1000)).toBe(87_690);
		expect(computeCashback(1_000_000, 1000)).toBe(100_000);
	});

	it('rounds half-kopeck ties up', () => {
		expect(computeCashback(5, 1000)).toBe(1); // 0.5 → 1
		expect(computeCashback(15, 1000)).toBe(2); // 1.5 → 2
		expect(computeCashback(4, 1000)).toBe(0); // 0.4 → 0
		expect(computeCashback(1, 5000)).toBe(1); // 0.5 → 1
		expect(computeCashback(1, 4999)).toBe(0); // 0.4999 → 0
		expect(computeCashback(3, 1250)).toBe(0); // 0.375 → 0
		expect(computeCashback(4, 1250)).toBe(1); // 0.5 → 1
	});

	it('handles the edges of rate and amount', () => {
		expect(computeCashback(0, 1000)).toBe(0);
		expect(computeCashback(12_345, 0)).toBe(0);
		expect(computeCashback(12_345, 10_000)).toBe(12_345);
		expect(computeCashback(Number.MAX_SAFE_INTEGER, 10_000)).toBe(Number.MAX_SAFE_INTEGER);
		expect(computeCashback(Number.MAX_SAFE_INTEGER, 1)).toBe(
			referenceCashback(Number.MAX_SAFE_INTEGER, 1)
		);
	});

	it.each([
		[-1, 1000],
		[1.5, 1000],
		[Number.NaN, 1000],
		[Number.MAX_SAFE_INTEGER + 1, 1000],
		[100, -1],
		[100, 10_001],
		[100, 12.5],
		[100, Number.POSITIVE_INFINITY]
	])('throws RangeError for amount %d, rate %d', (a, r) => {
		expect(() => computeCashback(a, r)).toThrow(RangeError);
	});

	it('equals the exact rational rounded half up (BigInt reference)', () => {
		fc.assert(
			fc.property(amount, rate, (a, r) => {
				expect(computeCashback(a, r)).toBe(referenceCashback(a, r));
			})
		);
	});

	it('stays within 0..amount', () => {
		fc.assert(
			fc.property(amount, rate, (a, r) => {
				const cashback = computeCashback(a, r);
				expect(cashback).toBeGreaterThanOrEqual(0);
				expect(cashback).toBeLessThanOrEqual(a);
				expect(Number.isSafeInteger(cashback)).toBe(true);
			})
		);
	});

	it('is monotone in amount and in rate', () => {
		fc.assert(
			fc.property(businessAmount, businessAmount, rate, rate, (a, b, r, s) => {
				const [lo, hi] = a <= b ? [a, b] : [b, a];
				const [rlo, rhi] = r <= s ? [r, s] : [s, r];
				expect(computeCashback(lo, r)).toBeLessThanOrEqual(computeCashback(hi, r));
				expect(computeCashback(a, rlo)).toBeLessThanOrEqual(computeCashback(a, rhi));
			})
		);
	});

	it('rounds every exact half-kopeck tie up', () => {
		// amount·rate = 5000·(odd) is exactly a tie at .5 kopeck. Build one: rate = d·t and
		// amount = (5000/d)·m with d dividing 5000 and t, m odd.
		const divisorsOf5000 = [1, 2, 4, 5, 8, 10, 20, 25, 40, 50, 100, 125, 200, 250, 500, 625];
		const ties = fc
			.tuple(fc.constantFrom(...divisorsOf5000), fc.nat(1000), fc.nat(100_000))
			.map(([d, t, m]) => {
				const odd = (x: number) => 2 * x + 1;
				let rateOdd = odd(t);
				while (d * rateOdd > 10_000) rateOdd -= 2;
				return [(5000 / d) * odd(m), d * rateOdd] as const;
			});
		fc.assert(
			fc.property(ties, ([a, r]) => {
				expect((a * r) % 10_000).toBe(5000);
				expect(computeCashback(a, r)).toBe((a * r + 5000) / 10_000);
			})
		);
	});
});

describe('percentToBp / bpToPercentString', () => {
	it.each([
		['10', 1000],
		['10,5', 1050],
		['12.25', 1225],
		['0', 0],
		['100', 10_000],
		['0,01', 1],
		[' 7 % ', 700],
		['12,5%', 1250]
	])('parses %j as %i bp', (input, bp) => {
		expect(percentToBp(input)).toEqual({ ok: true, bp });
	});

	it.each(['', '-1', '100,01', '101', '12,345', '1e1', ',5', '10,', 'abc', '1 000'])(
		'refuses %j',
		(input) => {
			expect(percentToBp(input)).toEqual({ ok: false });
		}
	);

	it('prints what a person would type', () => {
		expect(bpToPercentString(1000)).toBe('10');
		expect(bpToPercentString(1225)).toBe('12,25');
		expect(bpToPercentString(1250)).toBe('12,5');
		expect(bpToPercentString(1205)).toBe('12,05');
		expect(bpToPercentString(1)).toBe('0,01');
		expect(() => bpToPercentString(10_001)).toThrow(RangeError);
	});

	it('round-trips every rate', () => {
		fc.assert(
			fc.property(rate, (bp) => {
				expect(percentToBp(bpToPercentString(bp))).toEqual({ ok: true, bp });
			})
		);
	});
});
