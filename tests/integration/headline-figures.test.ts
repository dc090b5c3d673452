import { describe, expect, it } from 'vitest';
import { rebuildBalances } from '../../server/repositories/balances';
import { shiftReportsForDay } from '../../server/repositories/shift-reports';
import { useTestDatabase } from './support/db';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';
import { recordOperation } from './support/ledger';

/**
 * Issue 19 item 8: the operator's overview said accrued 809,65 / redeemed 400,00 (before
 * refunds) where «Кэшбэк по компаниям» said 769,65 / 0,00 (after). One definition, net of
 * refunds, for every screen that shows bills, cashback accrued and cashback paid with.
 */
const t = useTestDatabase();

describe('the headline money figures', () => {
	it('agree between the overview and the companies table after a refund and a redemption', async () => {
		await insertCustomer(t.db, '123455', 'Иванов Иван');
		const a = await insertCompany(t.db, { rateBp: 1000, name: 'Альфа' });
		const b = await insertCompany(t.db, { rateBp: 500, name: 'Бета' });
		const now = new Date().toISOString();
		await recordOperation(t.db, a, { kind: 'payment', amount: 100_000, at: now });
		const refunded = await recordOperation(t.db, a, { kind: 'payment', amount: 40_000, at: now });
		await recordOperation(t.db, a, { kind: 'refund', of: refunded, at: now });
		// 200 ₽ of the bill paid with cashback, then the whole payment refunded
		const redeemed = await recordOperation(t.db, b, {
			kind: 'payment',
			amount: 60_000,
			redeemed: 20_000,
			rateBp: 500,
			at: now
		});
		await recordOperation(t.db, b, { kind: 'refund', of: redeemed, at: now });
		await recordOperation(t.db, b, {
			kind: 'payment',
			amount: 10_000,
			redeemed: 3_000,
			rateBp: 500,
			at: now
		});
		await rebuildBalances(t.db);

		const operator = await callerAs(t.db, await insertUser(t.db, 'operator'));
		const overview = await operator.statements.overview();
		const table = await operator.operator.cashbackTotals({ period: { kind: 'month' } });
		const sum = (pick: (r: (typeof table)[number]) => number) =>
			table.reduce((total, r) => total + pick(r), 0);

		// net of refunds: 1 000 + 100 ₽ (Альфа), 100 ₽ of which 30 ₽ with cashback (Бета)
		const expected = { turnoverKopecks: 110_000, accruedKopecks: 10_350, redeemedKopecks: 3_000 };
		// (the overview also shows the campaign part of what was accrued: none here)
		expect(overview.net.current).toEqual({ ...expected, campaignKopecks: 0 });
		expect({
			turnoverKopecks: sum((r) => r.amountKopecks),
			accruedKopecks: sum((r) => r.cashbackKopecks),
			redeemedKopecks: sum((r) => r.redeemedKopecks)
		}).toEqual(expected);
		expect(table.find((r) => r.companyId === b)).toMatchObject({
			operations: 3,
			amountKopecks: 10_000,
			cashbackKopecks: 350,
			redeemedKopecks: 3_000
		});
	});

	it('nets refunds out of the X-report’s takings, as the overview does', async () => {
		const c = await insertCompany(t.db, { rateBp: 1000, name: 'Гамма' });
		const at = '2025-05-10T12:00:00+03:00';
		await recordOperation(t.db, c, { kind: 'payment', amount: 50_000, at });
		const paid = await recordOperation(t.db, c, {
			kind: 'payment',
			amount: 30_000,
			redeemed: 10_000,
			at
		});
		await recordOperation(t.db, c, { kind: 'refund', of: paid, at });
		const [line] = await shiftReportsForDay(t.db, { companyId: c, date: '2025-05-10' });
		expect(line).toMatchObject({
			payments: 2,
			turnoverKopecks: 50_000,
			cashbackKopecks: 5_000,
			redeemedKopecks: 0,
			refunds: 1,
			refundedKopecks: 30_000,
			cashbackReversedKopecks: 2_000
		});
	});
});
