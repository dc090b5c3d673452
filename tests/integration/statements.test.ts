import { spawnSync } from 'node:child_process';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { applyToSummaries } from '../../server/repositories/summaries';
import { verifySummaries } from '../../server/repositories/summaries-ledger';
import { syncPayments } from '../../server/services/payment-sync';
import {
	closeDueMonths,
	closeMonth,
	getStatement,
	shiftMonth,
	statementHash
} from '../../server/services/statements';
import { useTestDatabase } from './support/db';
import { insertDevice } from './support/cabinets-fixtures';
import { recordOperation, type LedgerEntry } from './support/ledger';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';

const t = useTestDatabase();
const record = (companyId: number, op: LedgerEntry) => recordOperation(t.db, companyId, op);
beforeAll(async () => {
	await insertCustomer(t.db, '123455', 'Иванов Иван');
	await insertCustomer(t.db, '765438', 'Петрова Мария');
});

/** Today's month in Moscow, YYYY-MM. */
function currentMonth(timeZone = 'Europe/Moscow'): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' })
		.format(new Date())
		.slice(0, 7);
}

describe('monthly statements', () => {
	it('gives the statement computed by hand for payments, refunds and redemptions', async () => {
		const companyId = await insertCompany(t.db, { rateBp: 1000 });
		const month = shiftMonth(currentMonth(), -2);
		const day = (d: number, hh = '12') =>
			`${month}-${String(d).padStart(2, '0')}T${hh}:00:00+03:00`;
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
		await record(companyId, {
			kind: 'payment',
			amount: 10_000,
			at: `${month}-01T00:00:00${offset}`
		});
		// 23:59:59 on the last day, local: still this month. In UTC it may be another date.
		const lastLocal = new Date(new Date(`${next}-01T00:00:00${offset}`).getTime() - 1000);
		await record(companyId, { kind: 'payment', amount: 20_000, at: lastLocal.toISOString() });
		await record(companyId, {
			kind: 'payment',
			amount: 40_000,
			at: `${next}-01T00:00:00${offset}`
		});
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

	it.skipIf(!process.env.DATABASE_URL)(
		'fails a writer that began before a close froze its month, so the retry is late',
		async () => {
			const companyId = await insertCompany(t.db, { rateBp: 1000 });
			const last = shiftMonth(currentMonth(), -1);
			const at = `${last}-15T12:00:00+03:00`;
			let release!: () => void;
			let begun!: () => void;
			const closed = new Promise<void>((resolve) => (release = resolve));
			const started = new Promise<void>((resolve) => (begun = resolve));
			const writer = t.db.transaction().execute(async (trx) => {
				await sql`select now()`.execute(trx);
				begun();
				await closed;
				await trx
					.insertInto('operations')
					.values({
						id: uuidv7(),
						company_id: companyId,
						customer_id: '123455',
						amount_kopecks: 10_000,
						rate_bp: 1000,
						cashback_kopecks: 1_000,
						occurred_at: at,
						content_hash: 'race'
					})
					.execute();
				await applyToSummaries(trx, [
					{
						companyId,
						kind: 'payment',
						occurredAt: at,
						amountKopecks: 10_000,
						cashbackKopecks: 1_000,
						redeemedKopecks: 0
					}
				]);
			});
			// The writer's transaction (its now()) has begun before the close starts.
			await started;
			expect((await closeMonth(t.db, { companyId, month: last, closedBy: null })).ok).toBe(true);
			release();
			await expect(writer).rejects.toMatchObject({ code: '40001' });
			// The retry is recorded after the closing moment: a late operation of the next statement.
			await record(companyId, { kind: 'payment', amount: 10_000, at });
			expect((await getStatement(t.db, companyId, last))!.total.operations).toBe(0);
			expect((await getStatement(t.db, companyId, currentMonth()))!.late).toHaveLength(1);
			expect(await verifySummaries(t.db)).toEqual([]);
		}
	);

	it.skipIf(!process.env.DATABASE_URL)(
		'npm run verify:summaries exits 0 on agreement and 1 on any difference',
		async () => {
			const companyId = await insertCompany(t.db, { rateBp: 1000 });
			await record(companyId, { kind: 'payment', amount: 10_000, at: new Date().toISOString() });
			const run = () =>
				spawnSync('npx', ['tsx', 'scripts/verify-summaries.ts'], {
					env: { ...process.env, DATABASE_URL: t.url },
					encoding: 'utf8'
				});
			const good = run();
			expect(good.stdout).toContain('summaries equal the ledger');
			expect(good.status).toBe(0);
			await sql`update company_day_summaries set payment_cashback_kopecks = payment_cashback_kopecks + 1
				where company_id = ${companyId}`.execute(t.db);
			const bad = run();
			expect(bad.stdout).toMatch(/payment_cashback_kopecks: summaries 1001, ledger 1000/);
			expect(bad.status).toBe(1);
			await sql`update company_day_summaries set payment_cashback_kopecks = payment_cashback_kopecks - 1
				where company_id = ${companyId}`.execute(t.db);
		},
		60_000
	);
});
