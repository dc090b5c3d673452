import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../server/auth/session';
import { rebuildBalances } from '../../server/repositories/balances';
import { addPending } from '../../server/repositories/pending-cashback';
import { setProgramRules } from '../../server/repositories/program-rules';
import {
	holdFiguresOf,
	verifyPendingCancellations,
	verifyStatementHolds
} from '../../server/repositories/statement-holds';
import { operationsCsvStream } from '../../server/services/operations-csv';
import { closeMonth, getStatement, shiftMonth } from '../../server/services/statements';
import { monthOfAllCompanies } from '../../server/services/statements-month';
import { localMoment } from '../../src/lib/domain/campaign';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { useTestDatabase } from './support/db';
import { recordOperation } from './support/ledger';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';

/**
 * Issue 22: the operations list, its totals and CSV show the campaign part apart, as the
 * statement does; a closed statement freezes what was pending at its close and what was
 * released in its month, and verify:summaries finds the same from the ledger later.
 */
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

const company = async () => callerAs(t.db, shop.user);

function currentMonth(): string {
	return new Intl.DateTimeFormat('en-CA', {
		timeZone: 'Europe/Moscow',
		year: 'numeric',
		month: '2-digit'
	})
		.format(new Date())
		.slice(0, 7);
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
	return new Response(stream).text();
}

describe('the campaign part in the list and its CSV', () => {
	it('rows, totals and CSV show it apart, net of refunds, equal to the statement', async () => {
		const now = new Date(Date.now() - 60_000);
		const minute = localMoment(now, 'Europe/Moscow').minute;
		const created = await (
			await company()
		).levers.createCampaign({
			name: 'Счастливые часы',
			rateBp: 1500,
			startsOn: '2020-01-01',
			endsOn: '2099-12-31',
			weekdays: 127,
			fromMinute: (minute + 1440 - 30) % 1440,
			toMinute: (minute + 30) % 1440
		});
		expect(created).toMatchObject({ ok: true });
		const ids = [uuidv7(now.getTime() - 1000), uuidv7(now.getTime())];
		const answers = await (
			await company()
		).payments.sync({
			deviceId: shop.deviceId,
			operations: ids.map((id, i) => ({
				id,
				customerId: IVANOV,
				amountKopecks: 1000_00,
				occurredAt: new Date(now.getTime() - 1000 + i * 1000).toISOString()
			}))
		});
		expect(answers.map((a) => a.outcome)).toEqual(['accepted', 'accepted']);
		expect(
			await (await company()).companies.refund({ operationId: ids[0]!, reason: 'Возврат' })
		).toMatchObject({ ok: true });

		const period = { kind: 'month' as const };
		const listed = await (await company()).companies.listOperations({ period });
		// 2 × 50,00 ₽ by the campaign, one refunded: 50,00 ₽ left, as in the statement.
		expect(listed.totals).toMatchObject({ cashbackKopecks: 150_00, campaignKopecks: 50_00 });
		expect(listed.rows.map((r) => [r.kind, r.campaignKopecks])).toEqual([
			['refund', -50_00],
			['payment', 50_00],
			['payment', 50_00]
		]);
		const statement = await getStatement(t.db, shop.id, currentMonth());
		expect(statement?.total.campaignKopecks).toBe(listed.totals?.campaignKopecks);

		const csv = await readAll(
			operationsCsvStream(
				async (cursor) => (await company()).companies.exportOperations({ period, cursor }),
				{ header: ['…'], payment: 'Оплата', refund: 'Возврат', campaign: true }
			)
		);
		const [header, ...lines] = csv
			.replace(/^\uFEFF/, '')
			.trim()
			.split('\r\n');
		expect(header).toBe('…');
		expect(lines.map((l) => l.split(';').at(-1))).toEqual(['-50,00', '50,00', '50,00']);
	});
});

describe('hold figures of a statement', () => {
	it('a closed month freezes what was pending at its close and what was released in it', async () => {
		await setProgramRules(t.db, { holdDays: 14, expiryMonths: 0, userId: null });
		const month = shiftMonth(currentMonth(), -1);
		const lastDay = `${month}-28T12:00:00+03:00`;
		// Three offline payments of last month arriving now: pending for 14 days from now.
		const paid: string[] = [];
		for (let i = 0; i < 3; i++) {
			const id = await recordOperation(t.db, shop.id, {
				kind: 'payment',
				amount: 1000_00 * (i + 1),
				at: lastDay
			});
			await t.db.transaction().execute((trx) =>
				addPending(trx, {
					operationId: id,
					paymentId: id,
					customerId: IVANOV,
					companyId: shop.id,
					kopecks: 100_00 * (i + 1),
					occurredAt: new Date(lastDay)
				})
			);
			paid.push(id);
		}
		// One whose hold ended within the month.
		const released = await recordOperation(t.db, shop.id, {
			kind: 'payment',
			amount: 500_00,
			at: `${month}-02T12:00:00+03:00`
		});
		await sql`insert into pending_cashback (operation_id, payment_id, customer_id, company_id,
				kopecks, available_at)
			values (${released}::uuid, ${released}::uuid, ${IVANOV}, ${shop.id}, 5000,
				${`${month}-16T12:00:00+03:00`}::timestamptz)`.execute(t.db);
		await rebuildBalances(t.db);

		// A refund before the close cancels the second payment's pending cashback.
		const refund = (operationId: string) =>
			company().then((c) => c.companies.refund({ operationId, reason: 'Возврат' }));
		expect(await refund(paid[1]!)).toMatchObject({ ok: true });
		const open = await getStatement(t.db, shop.id, month);
		expect(open).toMatchObject({ status: 'open', pendingKopecks: 400_00, releasedKopecks: 50_00 });
		// The operator's month view shows the same figures, by the same definition; a company
		// without pending cashback shows zeros, not nothing.
		const other = await insertCompany(t.db, { rateBp: 500, timeZone: 'Asia/Vladivostok' });
		await recordOperation(t.db, other, { kind: 'payment', amount: 100_00, at: lastDay });
		const operatorLine = async (companyId: number) =>
			(await monthOfAllCompanies(t.db, { month })).lines.find((l) => l.companyId === companyId)
				?.statement;
		expect(await operatorLine(shop.id)).toMatchObject({
			status: 'open',
			pendingKopecks: 400_00,
			releasedKopecks: 50_00
		});
		expect(await operatorLine(other)).toMatchObject({ pendingKopecks: 0, releasedKopecks: 0 });

		expect(await closeMonth(t.db, { companyId: shop.id, month, closedBy: null })).toMatchObject({
			ok: true
		});
		// After the close, a refund cancels the third: the frozen figure stays as at the close.
		expect(await refund(paid[2]!)).toMatchObject({ ok: true });
		const closed = await getStatement(t.db, shop.id, month);
		expect(closed).toMatchObject({
			status: 'closed',
			pendingKopecks: 400_00,
			releasedKopecks: 50_00
		});
		expect(await operatorLine(shop.id)).toMatchObject({
			status: 'closed',
			pendingKopecks: 400_00,
			releasedKopecks: 50_00
		});
		// The current month's open statement: what is pending now, through it.
		expect(await getStatement(t.db, shop.id, currentMonth())).toMatchObject({
			pendingKopecks: 100_00
		});
		expect(await verifyStatementHolds(t.db)).toEqual([]);
		expect(await verifyPendingCancellations(t.db)).toEqual([]);

		// A cancellation not kept is found.
		await sql`delete from pending_cancellations where operation_id = ${paid[2]!}::uuid`.execute(
			t.db
		);
		expect(await verifyPendingCancellations(t.db)).toEqual([
			{ operationId: paid[2], cancelled: 300_00, kept: 0 }
		]);
		// A frozen figure the ledger does not give is found (the same check as verify:summaries).
		await sql`delete from pending_cancellations where operation_id = ${paid[1]!}::uuid`.execute(
			t.db
		);
		expect(await verifyStatementHolds(t.db)).toEqual([
			{
				companyId: shop.id,
				month,
				frozenPending: 400_00,
				ledgerPending: 600_00,
				frozenReleased: 50_00,
				ledgerReleased: 50_00
			}
		]);
	});

	it('pending counts rows without their operation time and only cancellations before the moment', async () => {
		const month = shiftMonth(currentMonth(), -1);
		const lastMonth = `${month}-20T12:00:00+03:00`;
		const thisMonth = `${currentMonth()}-01T12:00:00+03:00`;
		const pend = async (at: string, kopecks: number, withTime: boolean) => {
			const id = await recordOperation(t.db, shop.id, { kind: 'payment', amount: 1000_00, at });
			await sql`insert into pending_cashback (operation_id, payment_id, customer_id, company_id,
					kopecks, available_at, operation_occurred_at)
				values (${id}::uuid, ${id}::uuid, ${IVANOV}, ${shop.id}, ${kopecks},
					now() + interval '10 days', ${withTime ? at : null}::timestamptz)`.execute(t.db);
			return id;
		};
		const cancel = async (id: string, kopecks: number, at: Date) => {
			await sql`update pending_cashback set cancelled_kopecks = cancelled_kopecks + ${kopecks}
				where operation_id = ${id}::uuid`.execute(t.db);
			await sql`insert into pending_cancellations (operation_id, kopecks, cancelled_at)
				values (${id}::uuid, ${kopecks}, ${at}::timestamptz)`.execute(t.db);
		};
		const known = await pend(lastMonth, 100_00, true);
		const unknown = await pend(lastMonth, 200_00, false);
		await pend(thisMonth, 400_00, false);
		const at = new Date(Date.now() + 60_000);
		await cancel(known, 30_00, new Date(at.getTime() - 120_000));
		await cancel(known, 20_00, new Date(at.getTime() + 60_000));
		await cancel(unknown, 50_00, new Date(at.getTime() - 1));
		const figures = (m: string) =>
			holdFiguresOf(t.db, { companyId: shop.id, month: `${m}-01`, at });
		expect(await figures(month)).toEqual({ pendingKopecks: 220_00, releasedKopecks: 0 });
		expect(await figures(currentMonth())).toEqual({ pendingKopecks: 620_00, releasedKopecks: 0 });
		// Viewed now, before `at`: only the first cancellation has happened.
		expect(await getStatement(t.db, shop.id, month)).toMatchObject({ pendingKopecks: 270_00 });
	});
});
