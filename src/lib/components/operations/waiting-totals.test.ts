import { describe, expect, it } from 'vitest';
import type { OutboxOperation } from '$lib/offline';
import type { PeriodTotals } from './types';
import { totalsWithWaiting } from './waiting-totals';

const march: PeriodTotals = {
	from: new Date('2026-02-28T21:00:00Z'),
	to: new Date('2026-03-31T21:00:00Z'),
	timeZone: 'Europe/Moscow',
	payments: 3,
	refunds: 1,
	amountKopecks: 50_000,
	cashbackKopecks: 5_000,
	redeemedKopecks: 0,
	campaignKopecks: 0
};

function waiting(id: string, occurredAt: string, amountKopecks: number): OutboxOperation {
	return {
		id,
		deviceId: 'd',
		companyId: 1,
		customerId: '123455',
		customerName: 'Иванов Иван',
		amountKopecks,
		occurredAt,
		provisionalCashbackKopecks: amountKopecks / 10,
		rateBp: 1000,
		status: 'waiting',
		attempts: 0
	};
}

describe('period totals with the waiting operations', () => {
	it('adds the waiting payments of the period and keeps their part apart', () => {
		const shown = totalsWithWaiting(march, [
			waiting('a', '2026-03-10T10:00:00.000Z', 10_000),
			waiting('b', '2026-02-28T21:00:00.000Z', 2_000),
			// before and after the period (in Moscow time): not in it
			waiting('c', '2026-02-28T20:59:59.999Z', 70_000),
			waiting('d', '2026-03-31T21:00:00.000Z', 80_000)
		]);
		expect(shown).toMatchObject({
			payments: 5,
			refunds: 1,
			amountKopecks: 62_000,
			cashbackKopecks: 6_200,
			waiting: { count: 2, amountKopecks: 12_000, cashbackKopecks: 1_200 }
		});
	});

	it('does not count twice an operation the rows already show from the server', () => {
		const shown = totalsWithWaiting(
			march,
			[waiting('a', '2026-03-10T10:00:00.000Z', 10_000)],
			new Set(['a'])
		);
		expect(shown).toMatchObject({ payments: 3, amountKopecks: 50_000, waiting: { count: 0 } });
	});

	it('without totals there is nothing to add to', () => {
		expect(totalsWithWaiting(null, [waiting('a', '2026-03-10T10:00:00.000Z', 1)])).toBeNull();
	});
});
