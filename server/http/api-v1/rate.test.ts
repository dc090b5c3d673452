import { describe, expect, it } from 'vitest';
import { createRateLimit } from './rate';

describe('the till API rate limit', () => {
	it('admits a burst, then the rate; says when the next request fits; per key', () => {
		const limit = createRateLimit(2, 3);
		const t0 = 1_000_000;
		expect([0, 1, 2].map(() => limit.take('a', t0))).toEqual([null, null, null]);
		expect(limit.take('a', t0)).toBe(1);
		expect(limit.take('b', t0)).toBeNull();
		expect(limit.take('a', t0 + 500)).toBeNull();
		expect(limit.take('a', t0 + 500)).toBe(1);
		const slow = createRateLimit(0.1, 1);
		expect(slow.take('c', t0)).toBeNull();
		expect(slow.take('c', t0 + 1000)).toBe(9);
	});
});
