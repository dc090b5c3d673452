import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../server/auth/session';
import { getSecretKey } from '../../server/crypto/keys';
import { setProgramRules } from '../../server/repositories/program-rules';
import { createCampaign } from '../../server/services/campaigns';
import { redeem } from '../../server/services/redemption';
import { verifySummaries } from '../../server/repositories/summaries-ledger';
import { localMoment } from '../../src/lib/domain/campaign';
import { computeCashback } from '../../src/lib/domain/money';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { useTestDatabase } from './support/db';
import { codesOf, giveBalance, redeemingShop } from './support/redemption-fixtures';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';

/** Issue 22: campaigns priced by the server through the domain rule; the cabinet's limits. */
const t = useTestDatabase({ truncate: true });
const IVANOV = '123455';
let shop: { id: number; user: SessionUser; deviceId: string };

beforeEach(async () => {
	await insertCustomer(t.db, IVANOV, 'Иванов Иван');
	const id = await insertCompany(t.db, { rateBp: 1000 });
	const user = await insertUser(t.db, 'company', { companyId: id });
	const { deviceId } = await (await callerAs(t.db, user)).devices.register({ name: 'Касса 1' });
	shop = { id, user, deviceId };
});

const api = async () => (await callerAs(t.db, shop.user)).levers;

async function pay(at: Date, amountKopecks = 1000_00) {
	const id = uuidv7(at.getTime());
	const [answer] = await (
		await callerAs(t.db, shop.user)
	).payments.sync({
		deviceId: shop.deviceId,
		operations: [{ id, customerId: IVANOV, amountKopecks, occurredAt: at.toISOString() }]
	});
	const row = await t.db
		.selectFrom('operations')
		.select(['rate_bp', 'cashback_kopecks', 'campaign_id', 'campaign_kopecks'])
		.where('id', '=', id)
		.executeTakeFirstOrThrow();
	return { answer, row };
}

describe('campaigns', () => {
	it('a payment in the window takes the campaign rate, its campaign part apart; outside, the contract', async () => {
		const now = new Date(Date.now() - 60_000);
		const today = localMoment(now, 'Europe/Moscow');
		// A window across midnight that contains `now` (local minute m): from m-30 to m+30 mod a day.
		const from = (today.minute + 1440 - 30) % 1440;
		const to = (today.minute + 30) % 1440;
		const created = await (
			await api()
		).createCampaign({
			name: 'Счастливые часы',
			rateBp: 1500,
			startsOn: '2020-01-01',
			endsOn: '2099-12-31',
			weekdays: 127,
			fromMinute: from,
			toMinute: to
		});
		expect(created).toMatchObject({ ok: true });
		const inside = await pay(now);
		expect(inside.answer).toMatchObject({ outcome: 'accepted', operation: { rateBp: 1500 } });
		expect(inside.row).toEqual({
			rate_bp: 1500,
			cashback_kopecks: computeCashback(1000_00, 1500),
			campaign_id: created.ok ? created.id : -1,
			campaign_kopecks: computeCashback(1000_00, 1500) - computeCashback(1000_00, 1000)
		});
		// A refund takes the campaign part back; the summaries keep it apart, equal to the ledger.
		const refunded = await pay(new Date(now.getTime() - 500));
		const paymentId = await t.db
			.selectFrom('operations')
			.select('id')
			.where('campaign_kopecks', '>', 0)
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		expect(refunded.row.campaign_kopecks).toBe(50_00);
		expect(
			await (
				await callerAs(t.db, shop.user)
			).companies.refund({ operationId: paymentId.id, reason: 'Возврат' })
		).toMatchObject({ ok: true });
		expect(await verifySummaries(t.db)).toEqual([]);
		const sums = await t.db
			.selectFrom('company_day_summaries')
			.select((eb) => eb.fn.sum<number>('campaign_cashback_kopecks').as('g'))
			.executeTakeFirstOrThrow();
		expect(Number(sums.g)).toBe(50_00);
		// An hour earlier: outside the window.
		const outside = await pay(new Date(now.getTime() - 3_600_000));
		expect(outside.row).toEqual({
			rate_bp: 1000,
			cashback_kopecks: 100_00,
			campaign_id: null,
			campaign_kopecks: 0
		});
		// The operator's ceiling caps it.
		await setProgramRules(t.db, {
			holdDays: 0,
			expiryMonths: 0,
			campaignMaxBp: 1200,
			userId: null
		});
		expect((await pay(new Date(now.getTime() + 1000))).row.rate_bp).toBe(1200);
		// A cancelled campaign no longer applies.
		if (created.ok)
			expect(await (await api()).cancelCampaign({ id: created.id })).toEqual({ ok: true });
		expect((await pay(new Date(now.getTime() + 2000))).row.rate_bp).toBe(1000);
	});

	it('never below the contract rate; at most 10 live; the counter gets the schedule with the rate', async () => {
		const input = {
			name: 'Акция',
			rateBp: 1500,
			startsOn: '2026-01-01',
			endsOn: '2099-12-31',
			weekdays: 1 | 2,
			fromMinute: 600,
			toMinute: 720
		};
		expect(await (await api()).createCampaign({ ...input, rateBp: 900 })).toEqual({
			ok: false,
			error: 'below_contract'
		});
		expect(await (await api()).createCampaign({ ...input, endsOn: '2020-01-01' })).toEqual({
			ok: false,
			error: 'bad_dates'
		});
		const results = await Promise.all(
			Array.from({ length: 12 }, async () => (await api()).createCampaign(input))
		);
		expect(results.filter((r) => r.ok)).toHaveLength(10);
		expect(results.filter((r) => !r.ok)).toEqual(Array(2).fill({ ok: false, error: 'too_many' }));
		const me = await (await callerAs(t.db, shop.user)).auth.me();
		expect(me?.company?.campaigns).toHaveLength(10);
		expect(me?.company?.campaigns?.[0]).toMatchObject({
			rateBp: 1500,
			weekdays: 3,
			fromMinute: 600
		});
		expect(me?.company?.campaignCapBp).toBe(10_000);
		const count = await sql<{ n: number }>`select count(*) as n from company_campaigns`.execute(
			t.db
		);
		expect(Number(count.rows[0]!.n)).toBe(10);
	});

	it('a payment with cashback during a campaign takes its rate on the part paid in money', async () => {
		const redeeming = await redeemingShop(t.db, { rateBp: 1000, redeemMaxBp: 5000 });
		await giveBalance(t.db, IVANOV, 1000_00);
		const made = await createCampaign(t.db, {
			companyId: redeeming.companyId,
			userId: null,
			name: 'Весь день',
			rateBp: 2000,
			startsOn: '2020-01-01',
			endsOn: '2099-12-31',
			weekdays: 127,
			fromMinute: 0,
			toMinute: 0
		});
		expect(made).toMatchObject({ ok: true });
		const codeAt = await codesOf(t.db, IVANOV);
		const now = new Date();
		const id = uuidv7();
		const outcome = await redeem(t.db, {
			id,
			companyId: redeeming.companyId,
			deviceId: redeeming.deviceId,
			customerId: IVANOV,
			code: codeAt(now),
			billKopecks: 1000_00,
			redeemKopecks: 300_00,
			occurredAt: now.toISOString(),
			now,
			key: getSecretKey(),
			createdBy: null
		});
		expect(outcome).toMatchObject({
			outcome: 'accepted',
			operation: { rateBp: 2000, cashbackKopecks: 140_00 }
		});
		const row = await t.db
			.selectFrom('operations')
			.select(['campaign_kopecks'])
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
		expect(row.campaign_kopecks).toBe(70_00);
		expect(await verifySummaries(t.db)).toEqual([]);
	});
});
