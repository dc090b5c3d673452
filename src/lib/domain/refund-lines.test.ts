import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { refundLines, type SoldLine } from './refund-lines';

const line = (n: number, quantityMilli: number, amountKopecks: number, extra = {}): SoldLine => ({
	line: n,
	quantityMilli,
	amountKopecks,
	noCashback: false,
	refundedMilli: 0,
	...extra
});

describe('refundLines', () => {
	it('a line refunded in any pieces takes back exactly its amount, each piece within it', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 100_000 }),
				fc.integer({ min: 0, max: 100_000_000 }),
				fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 20 }),
				(quantityMilli, amountKopecks, cuts) => {
					let refundedMilli = 0;
					let taken = 0;
					for (const cut of cuts) {
						const q = Math.min(cut, quantityMilli - refundedMilli);
						if (q === 0) break;
						const sold = [line(1, quantityMilli, amountKopecks, { refundedMilli })];
						const r = refundLines(sold, [{ line: 1, quantityMilli: q }]);
						if (r.ok) {
							expect(r.lines[0]!.amountKopecks).toBeLessThanOrEqual(amountKopecks - taken);
							taken += r.amountKopecks;
						} else expect(r.error).toBe('nothing_to_refund');
						refundedMilli += q;
					}
					if (refundedMilli < quantityMilli) {
						const r = refundLines(
							[line(1, quantityMilli, amountKopecks, { refundedMilli })],
							[{ line: 1 }]
						);
						if (r.ok) taken += r.amountKopecks;
					}
					expect(taken).toBe(amountKopecks);
				}
			)
		);
	});

	it('refuses more than sold per line, unknown, repeated and non-loyalty lines', () => {
		const sold = [
			line(1, 2000, 200_00, { refundedMilli: 1000 }),
			line(2, 500, 50_00),
			line(3, 1000, 10_00, { noCashback: true })
		];
		expect(refundLines(sold, [{ line: 1, quantityMilli: 1001 }])).toEqual({
			ok: false,
			error: 'line_over_refund',
			index: 0
		});
		expect(refundLines(sold, [{ line: 4 }])).toMatchObject({ error: 'unknown_line' });
		expect(refundLines(sold, [{ line: 2 }, { line: 2 }])).toMatchObject({
			error: 'duplicate_line',
			index: 1
		});
		expect(refundLines(sold, [{ line: 3 }])).toMatchObject({ error: 'line_not_refundable' });
		expect(refundLines(sold, [{ line: 1 }, { line: 2, quantityMilli: 250 }])).toEqual({
			ok: true,
			amountKopecks: 100_00 + 25_00,
			lines: [
				{ line: 1, quantityMilli: 1000, amountKopecks: 100_00 },
				{ line: 2, quantityMilli: 250, amountKopecks: 25_00 }
			]
		});
		expect(refundLines([line(1, 3000, 1)], [{ line: 1, quantityMilli: 1000 }])).toMatchObject({
			error: 'nothing_to_refund'
		});
	});
});
