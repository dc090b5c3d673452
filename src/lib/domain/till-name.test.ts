import { describe, expect, it } from 'vitest';
import { nextTillName } from './till-name';

describe('the name a new till is offered', () => {
	it('is the first «Касса N» not taken, whatever the case and spacing of the taken ones', () => {
		expect(nextTillName([])).toBe('Касса 1');
		expect(nextTillName(['Касса 1', 'Касса у окна'])).toBe('Касса 2');
		expect(nextTillName([' касса  1 ', 'КАССА 2', 'Касса 4'])).toBe('Касса 3');
	});
});
