import { describe, it, expect } from 'vitest';
import { isValidPostcode } from './postcode';

describe('isValidPostcode', () => {
	it.each(['101000', '190000', '630099', '000000'])('accepts %s', (s) => {
		expect(isValidPostcode(s)).toBe(true);
	});

	it.each(['', '10100', '1010000', '10100a', ' 101000', '101 000', '１０１０００'])(
		'refuses %j',
		(s) => {
			expect(isValidPostcode(s)).toBe(false);
		}
	);
});
