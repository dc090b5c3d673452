import { describe, it, expect } from 'vitest';
import { cryptoRandomBytes, cryptoRandomInt } from './random';

describe('cryptoRandomInt', () => {
	it('stays within [0, max) and reaches every value of a small range', () => {
		const seen = new Set<number>();
		for (let i = 0; i < 2000; i++) {
			const n = cryptoRandomInt(9);
			expect(Number.isInteger(n) && n >= 0 && n < 9).toBe(true);
			seen.add(n);
		}
		expect(seen.size).toBe(9);
		expect(cryptoRandomInt(1)).toBe(0);
	});

	it('handles the full 32-bit range', () => {
		const n = cryptoRandomInt(2 ** 32);
		expect(n >= 0 && n < 2 ** 32).toBe(true);
	});

	it.each([0, -1, 1.5, 2 ** 32 + 1, Number.NaN])('refuses max %d', (max) => {
		expect(() => cryptoRandomInt(max)).toThrow(RangeError);
	});
});

describe('cryptoRandomBytes', () => {
	it('returns the requested number of bytes, not all equal', () => {
		const bytes = cryptoRandomBytes(32);
		expect(bytes).toBeInstanceOf(Uint8Array);
		expect(bytes).toHaveLength(32);
		expect(new Set(bytes).size).toBeGreaterThan(1);
	});
});
