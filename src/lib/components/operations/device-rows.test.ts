import { describe, expect, it } from 'vitest';
import type { SyncedOperation } from '$lib/offline';
import { deviceRows } from './device-rows';

const op = (id: string, occurredAt: string, companyId = 1): SyncedOperation => ({
	id,
	deviceId: 'd1',
	companyId,
	customerId: '123456',
	customerName: null,
	amountKopecks: 10_000,
	occurredAt,
	rateBp: 1000,
	cashbackKopecks: 1000,
	recordedAt: occurredAt,
	syncedAt: occurredAt
});

describe("«Клиенты» from the device's own acknowledged operations", () => {
	it("keeps the company's operations of the period's local dates, newest first", () => {
		const rows = deviceRows(
			[
				op('a', '2025-03-01T10:00:00Z'),
				// 23:30 on 28 February in UTC is already 1 March in Moscow.
				op('b', '2025-02-28T21:30:00Z'),
				op('c', '2025-02-28T20:30:00Z'),
				op('d', '2025-03-02T10:00:00Z', 2),
				op('e', '2025-04-01T10:00:00Z')
			],
			{
				companyId: 1,
				timeZone: 'Europe/Moscow',
				first: '2025-03-01',
				last: '2025-03-31',
				deviceName: 'Касса 1'
			}
		);
		expect(rows.map((r) => r.id)).toEqual(['a', 'b']);
		expect(rows[0]).toMatchObject({
			kind: 'payment',
			customerName: '—',
			cashbackKopecks: 1000,
			deviceName: 'Касса 1',
			refundable: false
		});
	});
});
