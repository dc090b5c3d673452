import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { rebuildBalances } from '../../server/repositories/balances';
import { verifySummaries } from '../../server/repositories/summaries-ledger';
import { shiftMonth } from '../../server/services/statements';
import { useTestDatabase } from './support/db';
import {
	callerAs,
	insertCompany,
	insertCustomer,
	insertPartner,
	insertUser
} from './support/fixtures';
import { recordOperation } from './support/ledger';

const t = useTestDatabase();
beforeAll(async () => {
	await insertCustomer(t.db, '123455', 'Иванов Иван');
	await insertPartner(t.db, 1, 10);
	await insertPartner(t.db, 7, 10);
});

const moscowMonth = () =>
	new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow', year: 'numeric', month: '2-digit' })
		.format(new Date())
		.slice(0, 7);

describe('statements through tRPC', () => {
	it('shows the operator every company of a month with totals, filters by partner, and closes', async () => {
		const last = shiftMonth(moscowMonth(), -1);
		const a = await insertCompany(t.db, { rateBp: 1000, name: 'Альфа', partnerId: 1 });
		const b = await insertCompany(t.db, { rateBp: 1000, name: 'Бета', partnerId: 7 });
		await insertCompany(t.db, { status: 'pending', name: 'Ждущая', partnerId: 7 });
		await recordOperation(t.db, a, {
			kind: 'payment',
			amount: 100_000,
			at: `${last}-10T12:00:00+03:00`
		});
		await recordOperation(t.db, b, {
			kind: 'payment',
			amount: 50_000,
			redeemed: 50_000,
			at: `${last}-11T12:00:00+03:00`
		});
		const operator = await callerAs(t.db, await insertUser(t.db, 'operator'));
		const all = await operator.statements.month({ month: last });
		expect(all.lines.map((l) => l.companyName)).toEqual(['Альфа', 'Бета']);
		expect(all.totals).toMatchObject({
			accruedKopecks: 10_000,
			redeemedKopecks: 50_000,
			netKopecks: -40_000
		});
		const partner7 = await operator.statements.month({ month: last, partnerId: 7 });
		expect(partner7.lines.map((l) => l.companyName)).toEqual(['Бета']);
		expect(partner7.lines[0]!.statement.payer).toBe('platform');

		expect(await operator.statements.closeAll({ month: last, partnerId: 7 })).toEqual({
			closed: 1,
			skipped: 0
		});
		const after = await operator.statements.month({ month: last });
		expect(after.lines.map((l) => l.statement.status)).toEqual(['open', 'closed']);
		expect(await operator.statements.close({ companyId: b, month: last })).toEqual({
			ok: false,
			error: 'already_closed'
		});

		// The company sees its own months only.
		const company = await callerAs(t.db, await insertUser(t.db, 'company', { companyId: b }));
		const months = await company.statements.myMonths();
		const line = months!.months.find((m) => m.month === last)!;
		expect(line).toMatchObject({ status: 'closed', payer: 'platform' });
		expect(line.sha256).toMatch(/^[0-9a-f]{64}$/);
		expect(months!.months[0]).toMatchObject({
			month: moscowMonth(),
			running: true,
			closable: false
		});
	});

	it('gives the platform overview, the liability from customer_balances', async () => {
		await sql`truncate operations, company_day_summaries, statements, customer_balances cascade`.execute(
			t.db
		);
		const c = await insertCompany(t.db, { rateBp: 1000, partnerId: 7 });
		const now = new Date().toISOString();
		await recordOperation(t.db, c, { kind: 'payment', amount: 100_000, at: now });
		await recordOperation(t.db, c, { kind: 'payment', amount: 20_000, redeemed: 5_000, at: now });
		// These rows were written straight into the ledger: bring the balances in line with it.
		await rebuildBalances(t.db);
		const operator = await callerAs(t.db, await insertUser(t.db, 'operator'));
		const overview = await operator.statements.overview();
		expect(overview.current).toMatchObject({
			turnoverKopecks: 120_000,
			accruedKopecks: 11_500,
			redeemedKopecks: 5_000
		});
		expect(overview.liability).toEqual({ kopecks: 6_500, source: 'balances' });
		expect(overview.statuses.pending).toBeGreaterThanOrEqual(1);
		expect(overview.reviewQueue).toBe(overview.statuses.pending);
		expect(overview.registrations.find((r) => r.partnerId === 7)!.count).toBeGreaterThanOrEqual(3);
		expect(overview.months.previous).toBe(shiftMonth(overview.months.current, -1));

		// The liability is what the balances say, not a ledger scan.
		await sql`update customer_balances set balance_kopecks = balance_kopecks + 100
			where balance_kopecks > 0`.execute(t.db);
		const again = (await operator.statements.overview()).liability;
		expect(again.source).toBe('balances');
		expect(again.kopecks).toBeGreaterThan(6_500);
	});

	it('rebuilds the day summaries when the company changes its time zone', async () => {
		const c = await insertCompany(t.db, { rateBp: 1000 });
		const user = await insertUser(t.db, 'company', { companyId: c });
		const api = await callerAs(t.db, user);
		// 23:30 in Moscow is already the next day in Vladivostok.
		await recordOperation(t.db, c, {
			kind: 'payment',
			amount: 10_000,
			at: '2025-03-15T23:30:00+03:00'
		});
		const profile = await api.companies.profile();
		await api.companies.updateProfile({
			name: profile!.name,
			city: profile!.city ?? '',
			country: profile!.country,
			phone: '+79111111111',
			timeZone: 'Asia/Vladivostok'
		});
		const day = await api.companies.listOperations({
			period: { kind: 'day', anchor: '2025-03-16' }
		});
		expect(day.totals).toMatchObject({ payments: 1, amountKopecks: 10_000 });
		expect(day.rows).toHaveLength(1);
		expect(await verifySummaries(t.db)).toEqual([]);
	});
});
