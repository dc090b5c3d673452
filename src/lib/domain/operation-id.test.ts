import { describe, expect, it } from 'vitest';
import { operationIdReason } from './operation-id';
import { uuidv7 } from './uuid';

const bounds = { futureMs: 5 * 60_000, maxAgeMs: 30 * 86_400_000 };
const now = Date.UTC(2026, 11, 6, 12);

describe('operationIdReason', () => {
	it('accepts a UUID v7 of now, a little ahead, or up to the maximum age', () => {
		expect(operationIdReason(uuidv7(now), now, bounds)).toBeNull();
		expect(operationIdReason(uuidv7(now + 4 * 60_000), now, bounds)).toBeNull();
		expect(operationIdReason(uuidv7(now - 29 * 86_400_000).toUpperCase(), now, bounds)).toBeNull();
	});

	it('refuses the nil and max UUIDs and other versions', () => {
		expect(operationIdReason('00000000-0000-0000-0000-000000000000', now, bounds)).toBe(
			'bad_operation_id'
		);
		expect(operationIdReason('ffffffff-ffff-ffff-ffff-ffffffffffff', now, bounds)).toBe(
			'bad_operation_id'
		);
		expect(operationIdReason('9b2f3c4e-1d2a-4f6b-8c9d-0e1f2a3b4c5d', now, bounds)).toBe(
			'bad_operation_id'
		);
	});

	it('refuses a UUID v7 whose time lies beyond the bounds', () => {
		expect(operationIdReason(uuidv7(Date.UTC(2030, 0, 1)), now, bounds)).toBe(
			'operation_id_out_of_range'
		);
		expect(operationIdReason(uuidv7(now + 6 * 60_000), now, bounds)).toBe(
			'operation_id_out_of_range'
		);
		expect(operationIdReason(uuidv7(now - 31 * 86_400_000), now, bounds)).toBe(
			'operation_id_out_of_range'
		);
		expect(operationIdReason('00000000-0000-7000-8000-000000000000', now, bounds)).toBe(
			'operation_id_out_of_range'
		);
	});
});
