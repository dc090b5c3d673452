/**
 * Campaigns («Акции», issue 22, SPEC C15): a company's raised rate on chosen weekdays and hours
 * between two dates, in the company's time zone. THE rule of which rate applies: the counter
 * previews it offline from the schedule it caches, and the server computes it authoritatively,
 * both through `rateInForce`. Pure: no clock, no I/O; time zones through Intl (historical
 * offsets included, so a zone that changed its offset without daylight saving time is right).
 */

/** One campaign as both sides keep it. */
export interface Campaign {
	id: number;
	/** Basis points; never below the contract rate (checked where it is created). */
	rateBp: number;
	/** First and last local day (YYYY-MM-DD), both included. */
	startsOn: string;
	endsOn: string;
	/** Weekdays as bits: 1 = Monday, 2 = Tuesday, … 64 = Sunday. */
	weekdays: number;
	/** Minutes after local midnight: from (included) to (excluded); to <= from spans midnight. */
	fromMinute: number;
	toMinute: number;
}

export const MAX_ACTIVE_CAMPAIGNS = 10;
export const ALL_WEEKDAYS = 127;

/**
 * One formatter per zone: making an Intl.DateTimeFormat costs far more than using one, and the
 * sync prices every operation of a batch with it (bench:fleet: +0.3 ms of server CPU a call).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
	let format = formatters.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-US', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			hourCycle: 'h23'
		});
		formatters.set(timeZone, format);
	}
	return format;
}

/** The local calendar day, weekday bit and minute of a moment in a zone. */
export function localMoment(at: Date, timeZone: string) {
	const parts = formatterFor(timeZone).formatToParts(at);
	const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '0';
	const day = `${get('year')}-${get('month')}-${get('day')}`;
	return {
		day,
		weekdayBit: weekdayBit(day),
		minute: Number(get('hour')) * 60 + Number(get('minute'))
	};
}

/** The weekday bit of a calendar day (1 = Monday … 64 = Sunday). */
export function weekdayBit(day: string): number {
	const utcDay = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
	return 1 << ((utcDay + 6) % 7);
}

/** The calendar day before `day` (YYYY-MM-DD). */
export function previousDay(day: string): string {
	return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** Whether a window that opened on local `day` is within the campaign's days and weekdays. */
function opensOn(c: Campaign, day: string): boolean {
	return day >= c.startsOn && day <= c.endsOn && (c.weekdays & weekdayBit(day)) !== 0;
}

/**
 * Whether a campaign is in force at a moment: its window opened on that local day (and the
 * minute is within it), or — for a window across midnight — opened the day before and has not
 * closed yet. A window with from = to lasts the whole day.
 */
export function campaignInForce(c: Campaign, at: Date, timeZone: string): boolean {
	const local = localMoment(at, timeZone);
	const spans = c.toMinute <= c.fromMinute;
	if (opensOn(c, local.day) && local.minute >= c.fromMinute && (spans || local.minute < c.toMinute))
		return true;
	return spans && local.minute < c.toMinute && opensOn(c, previousDay(local.day));
}

/**
 * The rate an operation takes: the highest of the contract rate and every campaign in force at
 * its moment (capped by the operator's ceiling, never below the contract), and which campaign
 * gave it (null: the contract rate).
 */
export function rateInForce(
	contractRateBp: number,
	campaigns: readonly Campaign[],
	at: Date,
	timeZone: string,
	capBp = 10_000
): { rateBp: number; campaignId: number | null } {
	let best = { rateBp: contractRateBp, campaignId: null as number | null };
	for (const c of campaigns) {
		const rate = Math.max(contractRateBp, Math.min(c.rateBp, capBp));
		if (rate > best.rateBp && campaignInForce(c, at, timeZone))
			best = { rateBp: rate, campaignId: c.id };
	}
	return best;
}
