import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { refundShare, type RefundBasis } from './refund';

const payment = fc
	.record({
		amountKopecks: fc.integer({ min: 1, max: 1_000_000_000 }),
		rateBp: fc.integer({ min: 0, max: 10_000 }),
		redeemedPart: fc.double({ min: 0, max: 1, noNaN: true }),
		campaignPart: fc.double({ min: 0, max: 1, noNaN: true })
	})
	.map(({ amountKopecks, rateBp, redeemedPart, campaignPart }) => {
		const redeemedKopecks = Math.floor(amountKopecks * redeemedPart);
		const cashbackKopecks = Math.floor(((amountKopecks - redeemedKopecks) * rateBp) / 10_000);
		return {
			amountKopecks,
			redeemedKopecks,
			cashbackKopecks,
			// the campaign's part of the cashback (issue 22)
			campaignKopecks: Math.floor(cashbackKopecks * campaignPart)
		};
	});

/** Splits `total` into 1..8 positive parts, from random cut points. */
const split = (total: number) =>
	fc.array(fc.integer({ min: 1, max: Math.max(1, total - 1) }), { maxLength: 7 }).map((cuts) => {
		const points = [...new Set(cuts.filter((c) => c < total))].sort((a, b) => a - b);
		const parts: number[] = [];
		let last = 0;
		for (const p of [...points, total]) {
			parts.push(p - last);
			last = p;
		}
		return parts;
	});

function applyAll(p: RefundBasis['payment'], parts: number[]) {
	const before = { amountKopecks: 0, cashbackKopecks: 0, redeemedKopecks: 0, campaignKopecks: 0 };
	const shares = [];
	for (const part of parts) {
		const share = refundShare({ payment: p, before: { ...before } }, part);
		if (!share) throw new Error(`refused ${part} after ${before.amountKopecks}`);
		shares.push(share);
		before.amountKopecks += share.amountKopecks;
		before.cashbackKopecks += share.cashbackKopecks;
		before.redeemedKopecks += share.redeemedKopecks;
		before.campaignKopecks += share.campaignKopecks;
	}
	return { before, shares };
}

describe('refundShare', () => {
	it('any sequence of partial refunds of a payment sums to the full refund, each share within its refund', () => {
		fc.assert(
			fc.property(
				payment.chain((p) => fc.tuple(fc.constant(p), split(p.amountKopecks))),
				([p, parts]) => {
					const full = refundShare(
						{ payment: p, before: { amountKopecks: 0, cashbackKopecks: 0, redeemedKopecks: 0 } },
						p.amountKopecks
					)!;
					expect(full).toEqual(p);
					const { before, shares } = applyAll(p, parts);
					expect(before).toEqual(full);
					for (const s of shares) {
						expect(s.cashbackKopecks).toBeGreaterThanOrEqual(0);
						expect(s.redeemedKopecks).toBeGreaterThanOrEqual(0);
						expect(s.redeemedKopecks).toBeLessThanOrEqual(s.amountKopecks);
						expect(s.campaignKopecks).toBeGreaterThanOrEqual(0);
						expect(s.campaignKopecks).toBeLessThanOrEqual(s.cashbackKopecks);
					}
				}
			),
			{ numRuns: 2000 }
		);
	});

	it('refuses more than remains, zero, fractions', () => {
		const p = { amountKopecks: 1000, cashbackKopecks: 100, redeemedKopecks: 300 };
		const before = { amountKopecks: 600, cashbackKopecks: 60, redeemedKopecks: 180 };
		expect(refundShare({ payment: p, before }, 401)).toBeNull();
		expect(refundShare({ payment: p, before }, 0)).toBeNull();
		expect(refundShare({ payment: p, before }, 1.5)).toBeNull();
		expect(refundShare({ payment: p, before }, 400)).toEqual({
			amountKopecks: 400,
			cashbackKopecks: 40,
			redeemedKopecks: 120,
			campaignKopecks: 0
		});
	});

	it('rounds each share half up on the running total: 3 × 1/3 of 100 kopecks of cashback', () => {
		const p = { amountKopecks: 3, cashbackKopecks: 100, redeemedKopecks: 0 };
		const { shares } = applyAll(p, [1, 1, 1]);
		expect(shares.map((s) => s.cashbackKopecks)).toEqual([33, 34, 33]);
	});
});
