/**
 * When the demo's payments happened. The demo is seeded on the first start, whenever that is,
 * and its "Клиенты" opens on the current month: so there are always payments today (before
 * the first start) and on every earlier day of this month, even when the first start is just
 * after midnight on the 1st. Earlier days get a few payments most days.
 */

const DAY_MS = 86_400_000;

const formats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
function zoneOffsetMs(at: Date, timeZone: string): number {
	let format = formats.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric'
		});
		formats.set(timeZone, format);
	}
	const parts = format.formatToParts(at);
	const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
	const local = Date.UTC(
		get('year'),
		get('month') - 1,
		get('day'),
		get('hour'),
		get('minute'),
		get('second')
	);
	return local - Math.floor(at.getTime() / 1000) * 1000;
}

/** The local calendar date of an instant in a zone. */
function localDate(at: Date, timeZone: string): { year: number; month: number; day: number } {
	const shifted = new Date(at.getTime() + zoneOffsetMs(at, timeZone));
	return {
		year: shifted.getUTCFullYear(),
		month: shifted.getUTCMonth(),
		day: shifted.getUTCDate()
	};
}

/** The instant a local calendar day begins in a zone (days may be shifted by `offsetDays`). */
function startOfLocalDay(
	date: { year: number; month: number; day: number },
	timeZone: string,
	offsetDays = 0
): Date {
	const wall = Date.UTC(date.year, date.month, date.day + offsetDays);
	// Two passes find the offset in force at that local midnight (it may differ from now's).
	let guess = wall - zoneOffsetMs(new Date(wall), timeZone);
	guess = wall - zoneOffsetMs(new Date(guess), timeZone);
	return new Date(guess);
}

/**
 * The moments of the demo's payments, oldest first, all at or before `now`: `days` calendar
 * days back in the company's zone; every day of the current month (today included) has at
 * least one payment, earlier days zero to three. Today's fall between midnight and `now`,
 * other days' between 09:00 and 21:00 local time.
 */
export function demoPaymentTimes(
	now: Date,
	timeZone: string,
	random: () => number,
	days = 90
): Date[] {
	const today = localDate(now, timeZone);
	const todayStart = startOfLocalDay(today, timeZone);
	const times: Date[] = [];
	for (let back = days; back >= 0; back--) {
		const dayStart = startOfLocalDay(today, timeZone, -back);
		const inThisMonth = back < today.day;
		const count = inThisMonth ? 1 + Math.floor(random() * 3) : Math.floor(random() * 4);
		const moments: Date[] = [];
		for (let i = 0; i < count; i++) {
			if (back === 0) {
				const since = now.getTime() - todayStart.getTime();
				moments.push(new Date(todayStart.getTime() + Math.floor(random() * since)));
			} else {
				const nextStart = startOfLocalDay(today, timeZone, -back + 1);
				const length = nextStart.getTime() - dayStart.getTime() || DAY_MS;
				const from = dayStart.getTime() + Math.round((length * 9) / 24);
				moments.push(new Date(from + Math.floor(random() * (length / 2))));
			}
		}
		times.push(...moments.sort((a, b) => a.getTime() - b.getTime()));
	}
	return times;
}
