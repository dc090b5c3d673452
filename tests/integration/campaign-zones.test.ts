import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../server/auth/session';
import { verifySummaries } from '../../server/repositories/summaries-ledger';
import { localMoment, weekdayBit } from '../../src/lib/domain/campaign';
import { computeCashback } from '../../src/lib/domain/money';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { useTestDatabase } from './support/db';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';

/**
 * Issue 22 acceptance: a campaign spanning midnight, and the company moving to another zone
 * without daylight saving (Moscow UTC+3 → Yekaterinburg UTC+5), through the real sync
 * (payments.sync): the hours are read in the company's zone at each operation's occurredAt.
 */
const t = useTestDatabase({ truncate: true });
const IVANOV = '123455';
const CONTRACT = 1000;
const CAMPAIGN = 2000;
let shop: { id: number; user: SessionUser; deviceId: string };

beforeEach(async () => {
	await insertCustomer(t.db, IVANOV, 'Иванов Иван');
	const id = await insertCompany(t.db, { rateBp: CONTRACT });
	const user = await insertUser(t.db, 'company', { companyId: id });
	const { deviceId } = await (await callerAs(t.db, user)).devices.register({ name: 'Касса 1' });
	shop = { id, user, deviceId };
});

const company = () => callerAs(t.db, shop.user);

/** Syncs one payment of 1 000 ₽ at `at`; returns the rate the server gave it. */
async function rateAt(at: Date): Promise<number> {
	const [answer] = await (
		await company()
	).payments.sync({
		deviceId: shop.deviceId,
		operations: [
			{
				id: uuidv7(at.getTime()),
				customerId: IVANOV,
				amountKopecks: 1000_00,
				occurredAt: at.toISOString()
			}
		]
	});
	expect(answer?.outcome).toBe('accepted');
	if (answer?.outcome !== 'accepted') throw new Error('not accepted');
	return answer.operation.rateBp;
}

/** The day after a calendar day (YYYY-MM-DD). */
const nextDay = (day: string) =>
	new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

describe('a campaign across midnight in the company zone', () => {
	it('follows the zone at occurredAt, before and after the company changes it', async () => {
		// A night window 22:00–02:00 opening only on day D's weekday (D: three days ago in Moscow).
		const d = localMoment(new Date(Date.now() - 3 * 86_400_000), 'Europe/Moscow').day;
		const d1 = nextDay(d);
		const created = await (
			await company()
		).levers.createCampaign({
			name: 'Ночная',
			rateBp: CAMPAIGN,
			startsOn: '2020-01-01',
			endsOn: '2099-12-31',
			weekdays: weekdayBit(d),
			fromMinute: 22 * 60,
			toMinute: 2 * 60
		});
		expect(created).toMatchObject({ ok: true });
		const msk = (day: string, hm: string) => new Date(`${day}T${hm}:00+03:00`);

		// Moscow: before midnight, after it (the window opened on D), its edges.
		expect(await rateAt(msk(d, '21:59'))).toBe(CONTRACT);
		expect(await rateAt(msk(d, '22:00'))).toBe(CAMPAIGN);
		expect(await rateAt(msk(d, '23:30'))).toBe(CAMPAIGN);
		expect(await rateAt(msk(d1, '01:30'))).toBe(CAMPAIGN);
		expect(await rateAt(msk(d1, '02:00'))).toBe(CONTRACT);
		// D+1 is not a campaign day: its own evening takes the contract rate.
		expect(await rateAt(msk(d1, '23:00'))).toBe(CONTRACT);

		// The company moves to Yekaterinburg (UTC+5, no daylight saving): the same window is two
		// hours earlier in absolute time.
		const profile = await (await company()).companies.profile();
		expect(
			await (
				await company()
			).companies.updateProfile({
				name: profile.name,
				city: profile.city ?? '',
				country: profile.country,
				phone: profile.phone ?? '+79990000000',
				timeZone: 'Asia/Yekaterinburg'
			})
		).toEqual({ ok: true });
		// 21:30 Moscow = 23:30 Yekaterinburg: inside now; 00:30 Moscow = 02:30 there: outside.
		expect(await rateAt(msk(d, '21:30'))).toBe(CAMPAIGN);
		expect(await rateAt(msk(d1, '00:30'))).toBe(CONTRACT);
		// 23:59 Moscow on D = 01:59 on D+1 there: the window that opened on D, still open.
		expect(await rateAt(msk(d, '23:59'))).toBe(CAMPAIGN);
		expect(await rateAt(msk(d1, '00:00'))).toBe(CONTRACT);

		// The campaign part of each: the summaries, rebuilt in the new zone, equal the ledger.
		expect(await verifySummaries(t.db)).toEqual([]);
		const listed = await (
			await company()
		).companies.listOperations({ period: { kind: 'custom', from: d, to: nextDay(d1) }, limit: 50 });
		const part = computeCashback(1000_00, CAMPAIGN) - computeCashback(1000_00, CONTRACT);
		expect(listed.totals?.campaignKopecks).toBe(5 * part);
	});
});
