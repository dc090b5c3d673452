import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateDiscount, discountLines, receiptBases } from './receipt';

describe('allocateDiscount (largest remainder)', () => {
	it('adds up exactly, never exceeds a line, stays within a kopeck of the exact share', () => {
		fc.assert(
			fc.property(
				fc.array(fc.integer({ min: 0, max: 100_000_000 }), { minLength: 1, maxLength: 30 }),
				fc.double({ min: 0, max: 1, noNaN: true }),
				(weights, part) => {
					const total = weights.reduce((s, w) => s + w, 0);
					const discount = Math.floor(total * part);
					const shares = allocateDiscount(weights, discount);
					expect(shares.reduce((s, x) => s + x, 0)).toBe(total === 0 ? 0 : discount);
					shares.forEach((share, i) => {
						expect(share).toBeGreaterThanOrEqual(0);
						expect(share).toBeLessThanOrEqual(weights[i]!);
						if (total > 0) {
							const exact = (weights[i]! * discount) / total;
							expect(Math.abs(share - exact)).toBeLessThan(1 + 1e-6);
						}
					});
				}
			),
			{ numRuns: 3000 }
		);
	});

	it('gives the leftover kopecks to the largest remainders', () => {
		// Equal remainders: the earlier lines first.
		expect(allocateDiscount([1, 1, 1], 2)).toEqual([1, 1, 0]);
		expect(allocateDiscount([300, 300, 300], 100)).toEqual([34, 33, 33]);
		expect(allocateDiscount([100, 250, 650], 333)).toEqual([33, 83, 217]);
	});
});

describe('receipt', () => {
	const lines = [
		{ name: 'Хлеб', quantity: 1, priceKopecks: 50_00, amountKopecks: 50_00 },
		{
			name: 'Сигареты',
			quantity: 1,
			priceKopecks: 200_00,
			amountKopecks: 200_00,
			noCashback: true
		},
		{ name: 'Молоко', quantity: 2, priceKopecks: 75_00, amountKopecks: 150_00, noRedeem: true }
	];
	it('keeps lines out of cashback out of the operation, and out-of-redemption lines out of the discount', () => {
		expect(receiptBases({ totalKopecks: 400_00, lines })).toEqual({
			billKopecks: 200_00,
			redeemableKopecks: 50_00
		});
		expect(discountLines(lines, 30_00).map((l) => l.discountKopecks)).toEqual([30_00, 0, 0]);
	});
});
