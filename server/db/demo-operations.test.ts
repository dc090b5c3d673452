import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demoPaymentTimes } from './demo-operations';

const formats = new Map<string, Intl.DateTimeFormat>();
/** The local date (YYYY-MM-DD) of an instant, like todayIn() with one formatter per zone. */
function todayIn(timeZone: string, at: Date): string {
	let format = formats.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-CA', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit'
		});
		formats.set(timeZone, format);
	}
	return format.format(at);
}

function seeded(seed: number) {
	let a = seed;
	return () => {
		a = (a * 1103515245 + 12345) % 2 ** 31;
		return a / 2 ** 31;
	};
}

/** What "Клиенты" shows of the demo on the day of its first start: today's and this month's. */
function check(now: Date, timeZone: string, random: () => number) {
	const times = demoPaymentTimes(now, timeZone, random);
	const today = todayIn(timeZone, now);
	const month = today.slice(0, 7);
	const days = times.map((at) => todayIn(timeZone, at));
	expect(times.every((at) => at.getTime() <= now.getTime())).toBe(true);
	expect(days).toContain(today);
	// every day of this month up to today has a payment
	const dayOfMonth = Number(today.slice(8, 10));
	for (let d = 1; d <= dayOfMonth; d++) {
		expect(days).toContain(`${month}-${String(d).padStart(2, '0')}`);
	}
	// about three months of history before
	expect(days.some((day) => day < month)).toBe(true);
	const sorted = [...times].sort((a, b) => a.getTime() - b.getTime());
	expect(times).toEqual(sorted);
	return days;
}

describe('demo payment times', () => {
	it('has payments today and this month when the first start is just after midnight on the 1st', () => {
		// 00:00:30 on 1 March in Moscow (UTC+3) is 21:00:30 UTC on 28 February
		const now = new Date('2026-02-28T21:00:30Z');
		const days = check(now, 'Europe/Moscow', seeded(1));
		expect(days.filter((d) => d === '2026-03-01').length).toBeGreaterThan(0);
	});

	it('has payments at the very first moment of the 1st', () => {
		check(new Date('2026-11-30T21:00:00.000Z'), 'Europe/Moscow', seeded(2));
	});

	it('has payments today and on each earlier day of the month, late on the last day too', () => {
		check(new Date('2026-12-31T20:59:59Z'), 'Europe/Moscow', seeded(3));
		check(new Date('2026-07-15T12:00:00Z'), 'Asia/Vladivostok', seeded(4));
	});

	it('holds for any first start and any random sequence (fast-check)', () => {
		fc.assert(
			fc.property(
				fc.date({
					min: new Date('2020-01-01T00:00:00Z'),
					max: new Date('2035-12-31T23:59:59Z'),
					noInvalidDate: true
				}),
				fc.integer({ min: 1, max: 2 ** 30 }),
				fc.constantFrom('Europe/Moscow', 'Europe/Kaliningrad', 'Asia/Kamchatka'),
				(now, seed, zone) => {
					check(now, zone, seeded(seed));
				}
			),
			{ numRuns: 100 }
		);
	});
});
