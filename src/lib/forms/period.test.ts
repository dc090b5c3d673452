import { describe, expect, it } from 'vitest';
import {
	daysInRange,
	isLocalDate,
	periodDates,
	periodFromParams,
	periodToParams,
	shiftPeriod,
	todayIn
} from './period';

describe('periods of the operations list', () => {
	it('accepts only real calendar dates', () => {
		expect(isLocalDate('2024-02-29')).toBe(true);
		expect(isLocalDate('2025-02-29')).toBe(false);
		expect(isLocalDate('2025-13-01')).toBe(false);
		expect(isLocalDate('2025-1-01')).toBe(false);
		expect(isLocalDate("2025-01-01'; drop table operations")).toBe(false);
	});

	it('reads and writes the URL, falling back to this month', () => {
		for (const period of [
			{ kind: 'day', anchor: '2025-03-15' },
			{ kind: 'month', anchor: '2025-03-01' },
			{ kind: 'year' },
			{ kind: 'custom', from: '2025-01-01', to: '2025-03-31' }
		] as const) {
			expect(periodFromParams(periodToParams(period))).toEqual(period);
		}
		expect(periodFromParams(new URLSearchParams(''))).toEqual({ kind: 'month' });
		expect(periodFromParams(new URLSearchParams('period=week'))).toEqual({ kind: 'month' });
		expect(
			periodFromParams(new URLSearchParams('period=custom&from=2025-03-02&to=2025-03-01'))
		).toEqual({ kind: 'month' });
		expect(periodFromParams(new URLSearchParams('period=day&date=2025-02-30'))).toEqual({
			kind: 'day'
		});
	});

	it('steps a period back and forth across month and year ends', () => {
		expect(shiftPeriod({ kind: 'day' }, '2025-01-01', -1)).toEqual({
			kind: 'day',
			anchor: '2024-12-31'
		});
		expect(shiftPeriod({ kind: 'month' }, '2025-01-31', 1)).toEqual({
			kind: 'month',
			anchor: '2025-02-01'
		});
		expect(shiftPeriod({ kind: 'year' }, '2024-02-29', 1)).toEqual({
			kind: 'year',
			anchor: '2025-02-01'
		});
		const custom = { kind: 'custom', from: '2025-01-01', to: '2025-01-02' } as const;
		expect(shiftPeriod(custom, '2025-01-01', 1)).toBe(custom);
	});

	it('counts days of a range and knows today in a time zone', () => {
		expect(daysInRange('2025-01-01', '2025-01-01')).toBe(1);
		expect(daysInRange('2024-01-01', '2024-12-31')).toBe(366);
		const late = new Date('2025-03-15T14:30:00Z'); // 23:30 in Vladivostok, 17:30 in Moscow
		expect(todayIn('Asia/Vladivostok', late)).toBe('2025-03-16');
		expect(todayIn('Europe/Moscow', late)).toBe('2025-03-15');
	});

	it("works out the period's dates on the device, for when the server cannot say", () => {
		expect(periodDates({ kind: 'month' }, '2024-02-10')).toEqual({
			first: '2024-02-01',
			last: '2024-02-29'
		});
		expect(periodDates({ kind: 'month', anchor: '2025-12-31' }, '2024-02-10')).toEqual({
			first: '2025-12-01',
			last: '2025-12-31'
		});
		expect(periodDates({ kind: 'day' }, '2025-03-16')).toEqual({
			first: '2025-03-16',
			last: '2025-03-16'
		});
		expect(periodDates({ kind: 'year', anchor: '2025-06-01' }, '2024-01-01')).toEqual({
			first: '2025-01-01',
			last: '2025-12-31'
		});
		expect(periodDates({ kind: 'custom', from: '2025-01-05', to: '2025-02-01' }, 'x')).toEqual({
			first: '2025-01-05',
			last: '2025-02-01'
		});
	});
});
