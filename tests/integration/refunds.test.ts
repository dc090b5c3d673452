import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { operationsCsvStream } from '../../server/services/operations-csv';
import { useTestDatabase } from './support/db';
import { insertDevice, insertPayment } from './support/cabinets-fixtures';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';

const t = useTestDatabase();
beforeAll(async () => {
	await insertCustomer(t.db, '123455', 'Иванов Иван');
});

const DAY = 86_400_000;
/** Time since midnight in Moscow (UTC+3 all year): a payment "a minute ago" stays in today's list. */
const sinceMoscowMidnight = () => (Date.now() + 3 * 3_600_000) % DAY;

async function shop() {
	const companyId = await insertCompany(t.db, { rateBp: 1000 });
	const deviceId = await insertDevice(t.db, companyId);
	const api = await callerAs(t.db, await insertUser(t.db, 'company', { companyId }));
	const pay = (amountKopecks: number, ageMs = Math.min(60_000, sinceMoscowMidnight() / 2)) =>
		insertPayment(t.db, {
			companyId,
			deviceId,
			customerId: '123455',
			amountKopecks,
			rateBp: 1250,
			occurredAt: new Date(Date.now() - ageMs)
		});
	return { companyId, api, pay };
}

async function balanceOf(customerId: string): Promise<number> {
	const row = await sql<{ b: number }>`select coalesce(sum(cashback_kopecks), 0) as b
		from operations where customer_id = ${customerId}`.execute(t.db);
	return Number(row.rows[0]!.b);
}

describe('refunds', () => {
	it('reverses a payment once: minus the amount, minus the stored cashback, linked to it', async () => {
		const { api, pay, companyId } = await shop();
		const paymentId = await pay(1_234_57);
		const before = await balanceOf('123455');
		const customer = await callerAs(
			t.db,
			await insertUser(t.db, 'customer', { customerId: '123455' })
		);
		const cardBefore = await customer.me.card();
		expect(cardBefore).not.toBeNull();
		const outcome = await api.companies.refund({
			operationId: paymentId,
			reason: 'Товар возвращён'
		});
		expect(outcome).toMatchObject({
			ok: true,
			refund: { amountKopecks: -1_234_57, cashbackKopecks: -154_32 }
		});
		expect(await balanceOf('123455')).toBe(before - 154_32);
		// The customer's own card shows the lower balance.
		expect((await customer.me.card())?.balanceKopecks).toBe(cardBefore!.balanceKopecks - 154_32);

		const again = await api.companies.refund({ operationId: paymentId, reason: 'Ещё раз' });
		expect(again).toEqual({ ok: false, error: 'already_refunded' });
		expect(await balanceOf('123455')).toBe(before - 154_32);

		const rows = await t.db
			.selectFrom('operations')
			.selectAll()
			.where('company_id', '=', companyId)
			.orderBy('occurred_at')
			.execute();
		expect(rows).toHaveLength(2);
		expect(rows[1]).toMatchObject({
			kind: 'refund',
			reverses_id: paymentId,
			reason: 'Товар возвращён',
			customer_id: '123455',
			rate_bp: 1250
		});

		const list = await api.companies.listOperations({ period: { kind: 'day' } });
		expect(list.rows.map((r) => [r.kind, r.amountKopecks, r.refundable])).toEqual([
			['refund', -1_234_57, false],
			['payment', 1_234_57, false]
		]);
		expect(list.rows[1]!.refundId).toBe(list.rows[0]!.id);
		expect(list.rows[0]!.reversesId).toBe(paymentId);
		expect(list.totals).toMatchObject({
			payments: 1,
			refunds: 1,
			amountKopecks: 0,
			cashbackKopecks: 0
		});

		const csv = await new Response(
			operationsCsvStream(
				(cursor) => api.companies.exportOperations({ period: { kind: 'day' }, cursor }),
				{
					header: ['№', 'ФИО', 'ID', 'Дата', 'Сумма', '%', 'Кэшбэк', 'Операция', 'Списано'],
					payment: 'Оплата',
					refund: 'Возврат'
				}
			)
		).text();
		const lines = csv.trim().split('\r\n');
		expect(lines[1]).toMatch(/^1;Иванов Иван;123455;[^;]+;-1234,57;12,5;-154,32;Возврат;0,00$/);
		expect(lines[2]).toMatch(/^2;Иванов Иван;123455;[^;]+;1234,57;12,5;154,32;Оплата;0,00$/);
	});

	it('two refunds of the same payment at once: one wins, the other is refused', async () => {
		const { api, pay } = await shop();
		const paymentId = await pay(500_00);
		const outcomes = await Promise.all(
			Array.from({ length: 5 }, () =>
				api.companies.refund({ operationId: paymentId, reason: 'Дубль' })
			)
		);
		expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
		expect(outcomes.filter((o) => !o.ok)).toEqual(
			Array(4).fill({ ok: false, error: 'already_refunded' })
		);
		const count = await t.db
			.selectFrom('operations')
			.select(sql<number>`count(*)`.as('n'))
			.where('reverses_id', '=', paymentId)
			.executeTakeFirstOrThrow();
		expect(Number(count.n)).toBe(1);
	});

	it('refuses after 30 days, a refund of a refund, and needs a reason', async () => {
		const { api, pay } = await shop();
		const old = await pay(100_00, 31 * DAY);
		expect(await api.companies.refund({ operationId: old, reason: 'Поздно' })).toEqual({
			ok: false,
			error: 'too_old'
		});
		const recent = await pay(100_00, 29 * DAY);
		const first = await api.companies.refund({ operationId: recent, reason: 'Брак' });
		if (!first.ok) throw new Error('refund failed');
		expect(await api.companies.refund({ operationId: first.refund.id, reason: 'Назад' })).toEqual({
			ok: false,
			error: 'not_refundable'
		});
		await expect(
			api.companies.refund({ operationId: recent, reason: '   ' })
		).rejects.toMatchObject({
			code: 'BAD_REQUEST'
		});
	});

	it('a company cannot refund another company’s payment, nor learn that it exists', async () => {
		const a = await shop();
		const b = await shop();
		const theirs = await b.pay(700_00);
		expect(await a.api.companies.refund({ operationId: theirs, reason: 'Чужая' })).toEqual({
			ok: false,
			error: 'not_found'
		});
		const stillOne = await t.db
			.selectFrom('operations')
			.select('id')
			.where('reverses_id', '=', theirs)
			.execute();
		expect(stillOne).toEqual([]);
	});
});
