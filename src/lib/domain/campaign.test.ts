import { describe, expect, it } from 'vitest';
import { campaignInForce, localMoment, rateInForce, type Campaign } from './campaign';

const base: Campaign = {
	id: 1,
	rateBp: 1500,
	startsOn: '2026-12-01',
	endsOn: '2026-12-31',
	weekdays: 127,
	fromMinute: 0,
	toMinute: 0
};

describe('campaign rate', () => {
	it('takes the highest rate in force, never below the contract, capped by the operator', () => {
		const at = new Date('2026-12-10T09:00:00Z');
		const campaigns = [base, { ...base, id: 2, rateBp: 2000 }, { ...base, id: 3, rateBp: 500 }];
		expect(rateInForce(1000, campaigns, at, 'Europe/Moscow')).toEqual({
			rateBp: 2000,
			campaignId: 2
		});
		expect(rateInForce(1000, campaigns, at, 'Europe/Moscow', 1800)).toEqual({
			rateBp: 1800,
			campaignId: 2
		});
		expect(rateInForce(1000, [{ ...base, rateBp: 500 }], at, 'Europe/Moscow')).toEqual({
			rateBp: 1000,
			campaignId: null
		});
		expect(rateInForce(1000, [], at, 'Europe/Moscow')).toEqual({ rateBp: 1000, campaignId: null });
	});

	it('counts days and hours in the company’s zone, first and last day included', () => {
		const c = { ...base, startsOn: '2026-12-10', endsOn: '2026-12-10' };
		// 2026-12-09 21:30 UTC is 00:30 on the 10th in Moscow (UTC+3), still the 9th in UTC.
		expect(campaignInForce(c, new Date('2026-12-09T21:30:00Z'), 'Europe/Moscow')).toBe(true);
		expect(campaignInForce(c, new Date('2026-12-09T21:30:00Z'), 'UTC')).toBe(false);
		expect(campaignInForce(c, new Date('2026-12-10T20:59:00Z'), 'Europe/Moscow')).toBe(true);
		expect(campaignInForce(c, new Date('2026-12-10T21:00:00Z'), 'Europe/Moscow')).toBe(false);
	});

	it('a window across midnight belongs to the weekday it opens on', () => {
		// Fridays only (bit 16), 22:00–02:00 local, Moscow.
		const c = { ...base, weekdays: 16, fromMinute: 22 * 60, toMinute: 2 * 60 };
		const msk = (local: string) => new Date(`${local}+03:00`);
		expect(campaignInForce(c, msk('2026-12-11T21:59:00'), 'Europe/Moscow')).toBe(false); // Fri
		expect(campaignInForce(c, msk('2026-12-11T22:00:00'), 'Europe/Moscow')).toBe(true);
		expect(campaignInForce(c, msk('2026-12-12T01:59:00'), 'Europe/Moscow')).toBe(true); // Sat night
		expect(campaignInForce(c, msk('2026-12-12T02:00:00'), 'Europe/Moscow')).toBe(false);
		expect(campaignInForce(c, msk('2026-12-12T23:00:00'), 'Europe/Moscow')).toBe(false); // Sat
		// The night after the last day still closes the last day's window.
		const last = { ...c, endsOn: '2026-12-11' };
		expect(campaignInForce(last, msk('2026-12-12T01:00:00'), 'Europe/Moscow')).toBe(true);
		expect(
			campaignInForce({ ...c, startsOn: '2026-12-12' }, msk('2026-12-12T01:00:00'), 'Europe/Moscow')
		).toBe(false);
	});

	it('follows a zone that changed its offset without daylight saving time (Moscow, 26.10.2014)', () => {
		// Before: UTC+4; after: UTC+3. 08:00–09:00 local on both days.
		const c = {
			...base,
			startsOn: '2014-10-25',
			endsOn: '2014-10-27',
			fromMinute: 8 * 60,
			toMinute: 9 * 60
		};
		expect(localMoment(new Date('2014-10-25T04:30:00Z'), 'Europe/Moscow').minute).toBe(8 * 60 + 30);
		expect(localMoment(new Date('2014-10-27T05:30:00Z'), 'Europe/Moscow').minute).toBe(8 * 60 + 30);
		expect(campaignInForce(c, new Date('2014-10-25T04:30:00Z'), 'Europe/Moscow')).toBe(true);
		expect(campaignInForce(c, new Date('2014-10-25T05:30:00Z'), 'Europe/Moscow')).toBe(false);
		expect(campaignInForce(c, new Date('2014-10-27T05:30:00Z'), 'Europe/Moscow')).toBe(true);
		expect(campaignInForce(c, new Date('2014-10-27T04:30:00Z'), 'Europe/Moscow')).toBe(false);
	});
});
