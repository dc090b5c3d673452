import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { shiftMonth } from '../../server/services/statements';
import { useTestDatabase } from './support/db';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';
import { recordOperation } from './support/ledger';

/**
 * Issue 19 item 11: «Расчёты» listed 21 empty closed months for a company that had no
 * operations in them. It lists the running month, the months with operations and the ended
 * months still open; a closed month with nothing in it is left out.
 */
const t = useTestDatabase();

const moscowMonth = () =>
	new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow', year: 'numeric', month: '2-digit' })
		.format(new Date())
		.slice(0, 7);

describe('the company’s months', () => {
	it('leave out closed months without operations', async () => {
		await insertCustomer(t.db, '123455', 'Иванов Иван');
		const current = moscowMonth();
		const c = await insertCompany(t.db, { rateBp: 1000, name: 'Давняя' });
		// registered eight months ago; its first and only operation last month
		await sql`update companies set created_at = now() - interval '8 months' where id = ${c}`.execute(
			t.db
		);
		const last = shiftMonth(current, -1);
		const earlier = shiftMonth(current, -3);
		await recordOperation(t.db, c, {
			kind: 'payment',
			amount: 10_000,
			at: `${earlier}-10T12:00:00+03:00`
		});
		await recordOperation(t.db, c, {
			kind: 'payment',
			amount: 20_000,
			at: `${last}-10T12:00:00+03:00`
		});

		const operator = await callerAs(t.db, await insertUser(t.db, 'operator'));
		const company = await callerAs(t.db, await insertUser(t.db, 'company', { companyId: c }));
		// before any close: the ended months are open, so all of them are listed
		const open = (await company.statements.myMonths())!.months;
		expect(open.length).toBeGreaterThanOrEqual(8);
		expect(open.every((m) => m.status === 'open')).toBe(true);

		await operator.statements.close({ companyId: c, month: last });
		const months = (await company.statements.myMonths())!.months;
		expect(months.map((m) => [m.month, m.status])).toEqual([
			[current, 'open'],
			[last, 'closed'],
			[earlier, 'closed']
		]);
		// the operator's view of the company's months is the same list
		const seen = (await operator.statements.companyMonths({ companyId: c }))!.months;
		expect(seen.map((m) => m.month)).toEqual([current, last, earlier]);
	});
});
