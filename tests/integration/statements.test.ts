import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCashback } from '../../src/lib/domain/money';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { applyToSummaries, verifySummaries } from '../../server/repositories/summaries';
import { syncPayments } from '../../server/services/payment-sync';
import {
	closeDueMonths,
	closeMonth,
	getStatement,
	shiftMonth,
	statementHash
} from '../../server/services/statements';
import { createTestDatabase, type TestDatabase } from './support/db';
import { insertDevice } from './support/cabinets-fixtures';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
	await insertCustomer(t.db, '123455', 'Иванов Иван');
	await insertCustomer(t.db, '765438', 'Петрова Мария');
});
afterAll(async () => {
	await t?.close();
});

/** Today's month in Moscow, YYYY-MM. */
function currentMonth(timeZone = 'Europe/Moscow'): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' })
		.format(new Date())
		.slice(0, 7);
}

/**
 * A ledger row written as a movement would write it, with its summaries in the same
 * transaction: a payment (optionally partly paid with cashback, as a redemption stores it) or
 * the refund of one.
 */
async function record(
	companyId: number,
	op:
		| { kind: 'payment'; amount: number; redeemed?: number; at: string; rateBp?: number }
		| { kind: 'refund'; of: string; at: string }
): Promise<string> {
	const id = uuidv7();
	await t.db.transaction().execute(async (trx) => {
		if (op.kind === 'payment') {
			const redeemed = op.redeemed ?? 0;
			const cashback = computeCashback(op.amount - redeemed, op.rateBp ?? 1000);
			await trx
				.insertInto('operations')
				.values({
					id,
					company_id: companyId,
					customer_id: '123455',
					amount_kopecks: op.amount,
					rate_bp: op.rateBp ?? 1000,
					cashback_kopecks: cashback,
					redeemed_kopecks: redeemed,
					occurred_at: op.at,
					content_hash: `test:${id}`
				})
				.execute();
			await applyToSummaries(trx, [
				{
					companyId,
					kind: 'payment',
					occurredAt: op.at,
					amountKopecks: op.amount,
					cashbackKopecks: cashback,
					redeemedKopecks: redeemed
				}
			]);
		} else {
			const original = await trx
				.selectFrom('operations')
				.selectAll()
				.where('id', '=', op.of)
				.executeTakeFirstOrThrow();
			await trx
				.insertInto('operations')
				.values({
					id,
					kind: 'refund',
					company_id: companyId,
					customer_id: original.customer_id,
					amount_kopecks: -original.amount_kopecks,
					rate_bp: original.rate_bp,
					cashback_kopecks: -original.cashback_kopecks,
					redeemed_kopecks: -original.redeemed_kopecks,
					occurred_at: op.at,
					content_hash: `refund:${op.of}`,
					reverses_id: op.of
				})
				.execute();
			await applyToSummaries(trx, [
				{
					companyId,
					kind: 'refund',
					occurredAt: op.at,
					amountKopecks: -original.amount_kopecks,
					cashbackKopecks: -original.cashback_kopecks,
					redeemedKopecks: -original.redeemed_kopecks
				}
			]);
		}
	});
	return id;
}

describe('monthly statements', () => {
	it('gives the statement computed by hand for payments, refunds and redemptions', async () => {
		const companyId = await insertCompany(t.db, { rateBp: 1000 });
		const month = shiftMonth(currentMonth(), -2);
		const day = (d: number, hh = '12') => `${month}-${String(d).padStart(2, '0')}T${hh}:00:00+03:00`;
		await record(companyId, { kind: 'payment', amount: 100_000, at: day(1, '00') });
		const p2 = await record(companyId, {
			kind: 'payment',
			amount: 50_000,
			redeemed: 20_000,
			at: day(3)
		});
		await record(companyId, { kind: 'payment', amount: 25_055, redeemed: 25_055, at: day(10) });
		await record(companyId, { kind: 'payment', amount: 12_345, at: day(15) });
		await record(companyId, { kind: 'refund', of: p2, at: day(20) });
		// Outside the month: the last minute of the month before, the first of the month after.
		await record(companyId, {
			kind: 'payment',
			amount: 99_900,
			at: `${shiftMonth(month, -1)}-28T23:59:00+03:00`
		});
		await record(companyId, {
			kind: 'payment',
			amount: 77_700,
			at: `${shiftMonth(month, 1)}-01T00:00:00+03:00`
		});

		const statement = await getStatement(t.db, companyId, month);
		// Accrued: 10 000 + 3 000 (on 300 ₽ paid in money) + 0 + 1 235 (half up) = 14 235.
		// Reversed by the refund of P2: 3 000. Redeemed: 20 000 + 25 055. Given back: 20 000.
		expect(statement).toMatchObject({
			status: 'open',
			month,
			current: {
				operations: 5,
				payments: 4,
				refunds: 1,
				turnoverKopecks: 100_000 + 50_000 + 25_055 + 12_345 - 50_000,
				accruedKopecks: 14_235,
				reversedKopecks: 3_000,
				redeemedKopecks: 45_055,
				redemptionsReversedKopecks: 20_000,
				netKopecks: 14_235 - 3_000 - 45_055 + 20_000
			},
			late: [],
			payer: 'platform'
		});
		expect(statement!.total.netKopecks).toBe(-13_820);
		expect(await verifySummaries(t.db)).toEqual([]);

		// Closing freezes it: figures and hash stored, more operations of that month go elsewhere.
		const operator = await insertUser(t.db, 'operator');
		const closed = await closeMonth(t.db, { companyId, month, closedBy: operator.id });
		expect(closed).toEqual({ ok: true, closed: [shiftMonth(month, -1), month] });
		const frozen = await getStatement(t.db, companyId, month);
		expect(frozen).toMatchObject({ status: 'closed', current: statement!.current });
		const stored = await t.db
			.selectFrom('statements')
			.select(['content', 'sha256'])
			.where('company_id', '=', companyId)
			.where('month', '=', `${month}-01`)
			.executeTakeFirstOrThrow();
		expect(stored.sha256).toBe(statementHash(stored.content));
		expect(frozen!.sha256).toBe(stored.sha256);

		await record(companyId, { kind: 'payment', amount: 40_000, at: day(5) });
		const after = await getStatement(t.db, companyId, month);
		expect(after).toEqual(frozen);
		expect(await closeMonth(t.db, { companyId, month, closedBy: null })).toEqual({
			ok: false,
			error: 'already_closed'
		});
		// The late payment is in the next open statement, in its own section.
		const next = await getStatement(t.db, companyId, shiftMonth(month, 1));
		expect(next!.current.payments).toBe(1);
		expect(next!.late).toEqual([
			{ month, figures: expect.objectContaining({ payments: 1, accruedKopecks: 4_000 }) }
		]);
		expect(next!.lateTotal.netKopecks).toBe(4_000);
		expect(next!.total.netKopecks).toBe(7_770 + 4_000);
		expect(await verifySummaries(t.db)).toEqual([]);

		// A frozen statement cannot be edited, even by hand.
		await expect(
			sql`update statements set net_kopecks = 0 where company_id = ${companyId}`.execute(t.db)
		).rejects.toThrow(/never changes/);
		// The current month never closes.
		expect(
			await closeMonth(t.db, { companyId, month: currentMonth(), closedBy: null })
		).toMatchObject({ ok: false, error: 'not_ended' });
	});

	it('puts an offline payment of a closed month, synced later, in the next late section only', async () => {
		const companyId = await insertCompany(t.db, { rateBp: 1000 });
		const deviceId = await insertDevice(t.db, companyId);
		const last = shiftMonth(currentMonth(), -1);
		const lastDay = `${last}-${new Date(Date.UTC(Number(last.slice(0, 4)), Number(last.slice(5)), 0)).getUTCDate()}`;
		const takenAt = new Date(`${lastDay}T20:00:00+03:00`);
		await record(companyId, { kind: 'payment', amount: 10_000, at: `${last}-02T10:00:00+03:00` });
		const before = await closeMonth(t.db, { companyId, month: last, closedBy: null });
		expect(before.ok).toBe(true);
		const frozen = await getStatement(t.db, companyId, last);

		const outcomes = await syncPayments(t.db, {
			companyId,
			deviceId,
			createdBy: null,
			// The service's age check, as if the counter came back online a day later.
			now: new Date(takenAt.getTime() + 86_400_000),
			operations: [
				{
					id: uuidv7(takenAt.getTime()),
					customerId: '765438',
					amountKopecks: 123_400,
					occurredAt: takenAt.toISOString()
				}
			]
		});
		expect(outcomes[0]).toMatchObject({ outcome: 'accepted' });

		expect(await getStatement(t.db, companyId, last)).toEqual(frozen);
		const current = await getStatement(t.db, companyId, currentMonth());
		expect(current!.current).toMatchObject({ operations: 0, netKopecks: 0 });
		expect(current!.late).toEqual([
			{
				month: last,
				figures: expect.objectContaining({
					operations: 1,
					turnoverKopecks: 123_400,
					accruedKopecks: 12_340,
					netKopecks: 12_340
				})
			}
		]);
		expect(current!.total.netKopecks).toBe(12_340);
		// The operations list still shows it on its own day.
		const api = await callerAs(t.db, await insertUser(t.db, 'company', { companyId }));
		const list = await api.companies.listOperations({ period: { kind: 'day', anchor: lastDay } });
		expect(list.totals).toMatchObject({ payments: 1, amountKopecks: 123_400 });
		expect(await verifySummaries(t.db)).toEqual([]);
	});

	it.each([
		['Asia/Vladivostok', '+10:00'],
		['Europe/Kaliningrad', '+02:00']
	])('takes month boundaries in the company zone (%s)', async (timeZone, offset) => {
		const companyId = await insertCompany(t.db, { rateBp: 1000, timeZone });
		const month = shiftMonth(currentMonth(timeZone), -3);
		const next = shiftMonth(month, 1);
		await record(companyId, { kind: 'payment', amount: 10_000, at: `${month}-01T00:00:00${offset}` });
		// 23:59:59 on the last day, local: still this month. In UTC it may be another date.
		const lastLocal = new Date(new Date(`${next}-01T00:00:00${offset}`).getTime() - 1000);
		await record(companyId, { kind: 'payment', amount: 20_000, at: lastLocal.toISOString() });
		await record(companyId, { kind: 'payment', amount: 40_000, at: `${next}-01T00:00:00${offset}` });
		await record(companyId, {
			kind: 'payment',
			amount: 80_000,
			at: new Date(new Date(`${month}-01T00:00:00${offset}`).getTime() - 1000).toISOString()
		});
		const inMonth = await getStatement(t.db, companyId, month);
		expect(inMonth!.current).toMatchObject({ payments: 2, turnoverKopecks: 30_000 });
		const following = await getStatement(t.db, companyId, next);
		expect(following!.current).toMatchObject({ payments: 1, turnoverKopecks: 40_000 });
		const api = await callerAs(t.db, await insertUser(t.db, 'company', { companyId }));
		const list = await api.companies.listOperations({
			period: { kind: 'month', anchor: `${month}-15` }
		});
		expect(list.totals).toMatchObject({ payments: 2, amountKopecks: 30_000 });
		expect(list.rows).toHaveLength(2);
	});

	it('closes due months by itself, once, whoever else tries at the same time', async () => {
		const companyId = await insertCompany(t.db, { rateBp: 1000 });
		const last = shiftMonth(currentMonth(), -1);
		await record(companyId, { kind: 'payment', amount: 10_000, at: `${last}-10T10:00:00+03:00` });
		// Closing day 1: last month is due now in every zone.
		const runs = await Promise.all([closeDueMonths(t.db, 1), closeDueMonths(t.db, 1)]);
		const closedNow = runs.flat().filter((r) => r.companyId === companyId);
		expect(closedNow).toHaveLength(1);
		expect(closedNow[0]!.closed).toContain(last);
		const stored = await t.db
			.selectFrom('statements')
			.select(['closed_by'])
			.where('company_id', '=', companyId)
			.execute();
		expect(stored.length).toBeGreaterThanOrEqual(1);
		expect(stored.every((s) => s.closed_by === null)).toBe(true);
		expect((await closeDueMonths(t.db, 1)).some((r) => r.companyId === companyId)).toBe(false);
	});
});
