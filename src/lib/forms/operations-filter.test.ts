import { describe, expect, it } from 'vitest';
import { filterFromParams, filterToParams } from './operations-filter';

const ID = '0190a0b0-0000-7000-8000-000000000001';

describe('operations filter in the URL', () => {
	it('round-trips a terminal and a cashier', () => {
		const filter = { deviceId: ID, cashierId: 'admin' };
		expect(filterFromParams(new URLSearchParams(filterToParams(filter)))).toEqual(filter);
	});

	it('ignores what is not an ID', () => {
		expect(filterFromParams(new URLSearchParams('device=1;drop&cashier=x'))).toBeUndefined();
		expect(filterToParams(undefined)).toBe('');
	});
});
