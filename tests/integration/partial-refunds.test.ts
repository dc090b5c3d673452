import fc from 'fast-check';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from './support/db';
import { insertDevice, insertPayment } from './support/cabinets-fixtures';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';

/** Partial refunds (issue 20, SPEC C13) through the company's «Клиенты» procedure. */
const t = useTestDatabase();
beforeAll(async () => {
	await insertCustomer(t.db, '123455', 'Иванов Иван');
	// A balance that covers every reversal below: the tests are about the shares, not about
	// `cashback_spent`.
	const companyId = await insertCompany(t.db, { rateBp: 1000 });
	await insertPayment(t.db, {
		companyId,
		deviceId: await insertDevice(t.db, companyId),
		customerId: '123455',
		amountKopecks: 900_000_00,
		rateBp: 1000,
		occurredAt: new Date(Date.now() - 120_000)
	});
	await sql`update customer_balances set balance_kopecks = balance_kopecks + 90000000
		where customer_id = '123455'`.execute(t.db);
});

async function shop() {
	const companyId = await insertCompany(t.db, { rateBp: 1000 });
	const deviceId = await insertDevice(t.db, companyId);
	const api = await callerAs(t.db, await insertUser(t.db, 'company', { companyId }));
	const pay = (amountKopecks: number, redeemedKopecks = 0) =>
		insertPayment(t.db, {
			companyId,
			deviceId,
			customerId: '123455',
			amountKopecks,
			rateBp: 1250,
			redeemedKopecks,
			occurredAt: new Date(Date.now() - 60_000)
		});
	return { companyId, api, pay };
}

async function balance(): Promise<number> {
	const row = await t.db
		.selectFrom('customer_balances')
		.select('balance_kopecks')
		.where('customer_id', '=', '123455')
		.executeTakeFirstOrThrow();
	return Number(row.balance_kopecks);
}

async function refundsOf(paymentId: string) {
	return t.db
		.selectFrom('operations')
		.select(['amount_kopecks', 'cashback_kopecks', 'redeemed_kopecks'])
		.where('reverses_id', '=', paymentId)
		.execute();
}

describe('partial refunds', () => {
	it('several parts of one payment, never more than paid; the list shows what was refunded', async () => {
		const { api, pay } = await shop();
		const paymentId = await pay(1_000_00, 400_00);
		const payment = await t.db
			.selectFrom('operations')
			.select(['cashback_kopecks'])
			.where('id', '=', paymentId)
			.executeTakeFirstOrThrow();
		const start = await balance();
		const first = await api.companies.refund({
			operationId: paymentId,
			reason: 'Один товар',
			amountKopecks: 300_00
		});
		expect(first).toMatchObject({
			ok: true,
			refund: { amountKopecks: -300_00, redeemedKopecks: -120_00, remainingKopecks: 700_00 }
		});
		expect(
			await api.companies.refund({ operationId: paymentId, reason: 'Много', amountKopecks: 700_01 })
		).toEqual({ ok: false, error: 'over_refund' });
		const list = await api.companies.listOperations({ period: { kind: 'day' } });
		const row = list.rows.find((r) => r.id === paymentId)!;
		expect([row.refundedKopecks, row.refundable]).toEqual([300_00, true]);

		const rest = await api.companies.refund({ operationId: paymentId, reason: 'Остальное' });
		expect(rest).toMatchObject({
			ok: true,
			refund: { amountKopecks: -700_00, remainingKopecks: 0 }
		});
		expect(await api.companies.refund({ operationId: paymentId, reason: 'Ещё' })).toEqual({
			ok: false,
			error: 'already_refunded'
		});
		const rows = await refundsOf(paymentId);
		expect(rows.reduce((s, r) => s + Number(r.amount_kopecks), 0)).toBe(-1_000_00);
		expect(rows.reduce((s, r) => s + Number(r.redeemed_kopecks), 0)).toBe(-400_00);
		expect(rows.reduce((s, r) => s + Number(r.cashback_kopecks), 0)).toBe(
			-Number(payment.cashback_kopecks)
		);
		expect(await balance()).toBe(start + 400_00 - Number(payment.cashback_kopecks));
		const after = await api.companies.listOperations({ period: { kind: 'day' } });
		const done = after.rows.find((r) => r.id === paymentId)!;
		expect([done.refundedKopecks, done.refundable]).toEqual([1_000_00, false]);
		expect(after.rows.filter((r) => r.reversesId === paymentId)).toHaveLength(2);
	});

	it('any sequence of partial refunds moves exactly what one full refund moves (property, stored)', async () => {
		const { api, pay } = await shop();
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 2, max: 5_000_00 }),
				fc.double({ min: 0, max: 1, noNaN: true }),
				fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }),
				async (amount, redeemedPart, weights) => {
					const redeemed = Math.floor(amount * redeemedPart);
					const full = await pay(amount, redeemed);
					const parts = await pay(amount, redeemed);
					const balanceBefore = await balance();
					const whole = await api.companies.refund({ operationId: full, reason: 'Целиком' });
					expect(whole.ok).toBe(true);
					const afterWhole = await balance();
					const sum = weights.reduce((a, b) => a + b, 0);
					let left = amount;
					for (const w of weights.slice(0, -1)) {
						const part = Math.min(left - 1, Math.max(1, Math.floor((amount * w) / sum)));
						if (part < 1) break;
						const r = await api.companies.refund({
							operationId: parts,
							reason: 'Часть',
							amountKopecks: part
						});
						expect(r.ok).toBe(true);
						left -= part;
					}
					const last = await api.companies.refund({ operationId: parts, reason: 'Остаток' });
					expect(last).toMatchObject({ ok: true, refund: { remainingKopecks: 0 } });
					const sums = async (id: string) =>
						(await refundsOf(id)).reduce(
							(s, r) => [
								s[0]! + Number(r.amount_kopecks),
								s[1]! + Number(r.cashback_kopecks),
								s[2]! + Number(r.redeemed_kopecks)
							],
							[0, 0, 0]
						);
					expect(await sums(parts)).toEqual(await sums(full));
					expect(afterWhole - balanceBefore).toBe((await balance()) - afterWhole);
				}
			),
			{ numRuns: 12 }
		);
	});

	it('concurrent partial refunds never refund more than the payment', async () => {
		const { api, pay } = await shop();
		const paymentId = await pay(1_000_00);
		const outcomes = await Promise.all(
			Array.from({ length: 6 }, () =>
				api.companies.refund({ operationId: paymentId, reason: 'Гонка', amountKopecks: 300_00 })
			)
		);
		expect(outcomes.filter((o) => o.ok)).toHaveLength(3);
		expect(new Set(outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.error))).toEqual(
			new Set(['over_refund'])
		);
		const rows = await refundsOf(paymentId);
		expect(rows.reduce((s, r) => s + Number(r.amount_kopecks), 0)).toBe(-900_00);
	});
});

describe('partial refunds and held cashback', () => {
	it('a part waits for the review’s decision; the whole cancels the hold', async () => {
		const { api, pay, companyId } = await shop();
		const paymentId = await pay(1_000_00);
		// Held for review (0012): the payment credited nothing, the hold waits.
		await sql`update operations set cashback_kopecks = 0 where id = ${paymentId}::uuid`.execute(
			t.db
		);
		await t.db
			.insertInto('operation_holds')
			.values({
				operation_id: paymentId,
				company_id: companyId,
				customer_id: '123455',
				held_kopecks: 125_00,
				reason: 'velocity_customer_hour'
			})
			.execute();
		expect(
			await api.companies.refund({ operationId: paymentId, reason: 'Часть', amountKopecks: 100_00 })
		).toEqual({ ok: false, error: 'cashback_held' });
		const whole = await api.companies.refund({ operationId: paymentId, reason: 'Всё' });
		expect(whole).toMatchObject({
			ok: true,
			refund: { amountKopecks: -1_000_00, cashbackKopecks: 0 }
		});
		const hold = await t.db
			.selectFrom('operation_holds')
			.select('status')
			.where('operation_id', '=', paymentId)
			.executeTakeFirstOrThrow();
		expect(hold.status).toBe('cancelled');
	});
});
