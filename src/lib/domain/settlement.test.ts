import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addFigures, canonicalJson, figuresOf, payerOf, ZERO_FIGURES } from './settlement';

describe('statement figures', () => {
	it('turns signed ledger sums into the statement and its net', () => {
		const f = figuresOf({
			payments: 4,
			paymentAmountKopecks: 187_400,
			accruedKopecks: 14_235,
			redeemedKopecks: 45_055,
			refunds: 1,
			refundAmountKopecks: -50_000,
			refundCashbackKopecks: -3_000,
			refundRedeemedKopecks: -20_000
		});
		expect(f).toEqual({
			operations: 5,
			payments: 4,
			refunds: 1,
			turnoverKopecks: 137_400,
			accruedKopecks: 14_235,
			reversedKopecks: 3_000,
			redeemedKopecks: 45_055,
			redemptionsReversedKopecks: 20_000,
			netKopecks: -13_820,
			campaignKopecks: 0,
			expiredKopecks: 0
		});
		expect(payerOf(f.netKopecks)).toBe('platform');
		// Issue 22: the campaign part and expired cashback are shown apart, outside the net.
		const levers = figuresOf({
			payments: 1,
			paymentAmountKopecks: 100_000,
			accruedKopecks: 15_000,
			redeemedKopecks: 0,
			refunds: 0,
			refundAmountKopecks: 0,
			refundCashbackKopecks: 0,
			refundRedeemedKopecks: 0,
			expiredKopecks: -2_500,
			campaignKopecks: 5_000
		});
		expect(levers).toMatchObject({
			netKopecks: 15_000,
			campaignKopecks: 5_000,
			expiredKopecks: 2_500
		});
		expect(payerOf(1)).toBe('company');
		expect(payerOf(0)).toBe('none');
	});

	it('adds up section by section to the same net', () => {
		const sums = fc.record({
			payments: fc.nat(1000),
			paymentAmountKopecks: fc.nat(10 ** 9),
			accruedKopecks: fc.nat(10 ** 8),
			redeemedKopecks: fc.nat(10 ** 8),
			refunds: fc.nat(1000),
			refundAmountKopecks: fc.nat(10 ** 9).map((n) => -n),
			refundCashbackKopecks: fc.nat(10 ** 8).map((n) => -n),
			refundRedeemedKopecks: fc.nat(10 ** 8).map((n) => -n)
		});
		fc.assert(
			fc.property(fc.array(sums, { maxLength: 5 }), (all) => {
				const total = addFigures(...all.map(figuresOf));
				const f = total;
				expect(f.netKopecks).toBe(
					f.accruedKopecks - f.reversedKopecks - f.redeemedKopecks + f.redemptionsReversedKopecks
				);
				if (all.length === 0) expect(total).toEqual(ZERO_FIGURES);
			})
		);
	});
});

describe('canonicalJson', () => {
	it('sorts keys at every level, whatever order they were built in', () => {
		expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: 'x' } })).toBe(
			'{"a":{"c":"x","d":[3,{"e":2,"f":1}]},"b":1}'
		);
		fc.assert(
			fc.property(fc.dictionary(fc.string(), fc.integer()), (object) => {
				const reversed = Object.fromEntries(Object.entries(object).reverse());
				expect(canonicalJson(reversed)).toBe(canonicalJson(object));
				expect(JSON.parse(canonicalJson(object))).toEqual(object);
			})
		);
	});

	it('refuses a number that is not a safe integer (money is integer kopecks)', () => {
		expect(() => canonicalJson({ a: 0.5 })).toThrow();
	});
});
