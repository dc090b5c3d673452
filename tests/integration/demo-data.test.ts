import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../server/db/demo';
import { demoPairingCode } from '../../server/db/demo-terminals';
import { verifyPin } from '../../src/lib/domain/pin';
import { truncateAll, useTestDatabase } from './support/db';
import { callerAs, callerAsTerminal } from './support/fixtures';
import type { TerminalPrincipal } from '../../server/auth/terminal';

const t = useTestDatabase();

/** The demo company's "Клиенты" as its admin opens it. */
async function albixe() {
	const row = await t.db
		.selectFrom('users')
		.selectAll()
		.where('email', '=', 'company@kopek.local')
		.executeTakeFirstOrThrow();
	return callerAs(t.db, {
		id: row.id,
		email: row.email,
		role: row.role,
		locale: row.locale,
		companyId: row.company_id,
		partnerId: row.partner_id,
		customerId: row.customer_id
	});
}

describe('demo data', () => {
	it('a first start right after midnight on the 1st opens «Клиенты» on a month with payments, today too', async () => {
		await truncateAll(t.db);
		// 00:05 on 1 March 2026 in Moscow
		expect(await seedDemo(t.db, new Date('2026-02-28T21:05:00Z'))).toBe(true);
		const api = await albixe();
		const month = await api.companies.listOperations({
			period: { kind: 'month', anchor: '2026-03-01' }
		});
		expect(month.totals?.payments).toBeGreaterThan(0);
		const day = await api.companies.listOperations({
			period: { kind: 'day', anchor: '2026-03-01' }
		});
		expect(day.rows.length).toBeGreaterThan(0);
		for (const row of day.rows) {
			expect(row.occurredAt.getTime()).toBeLessThanOrEqual(Date.parse('2026-02-28T21:05:00Z'));
		}
		// and the months before still have their history
		const february = await api.companies.listOperations({
			period: { kind: 'month', anchor: '2026-02-01' }
		});
		expect(february.totals?.payments).toBeGreaterThan(10);
	});

	it('a first start now: today and the current month, as the page opens them, have payments', async () => {
		await truncateAll(t.db);
		expect(await seedDemo(t.db)).toBe(true);
		const api = await albixe();
		expect((await api.companies.listOperations({ period: { kind: 'day' } })).rows.length).toBe(
			(await api.companies.listOperations({ period: { kind: 'day' } })).totals?.payments
		);
		expect(
			(await api.companies.listOperations({ period: { kind: 'day' } })).totals?.payments
		).toBeGreaterThan(0);
		expect(
			(await api.companies.listOperations({ period: { kind: 'month' } })).totals?.payments
		).toBeGreaterThan(0);
	});

	it('the pending demo company has a document, so the operator can approve it', async () => {
		const pending = await t.db
			.selectFrom('companies')
			.select('id')
			.where('email', '=', 'pending@kopek.local')
			.executeTakeFirstOrThrow();
		const operator = await t.db
			.selectFrom('users')
			.selectAll()
			.where('email', '=', 'operator@kopek.local')
			.executeTakeFirstOrThrow();
		const api = await callerAs(t.db, {
			id: operator.id,
			email: operator.email,
			role: operator.role,
			locale: operator.locale,
			companyId: null,
			partnerId: null,
			customerId: null
		});
		const queued = (await api.operator.reviewQueue()).find((c) => c.id === pending.id);
		expect(queued?.documents.length).toBe(1);
		expect(await api.operator.approve({ companyId: pending.id, percent: '5' })).toEqual({
			ok: true
		});
	});

	it('Albixe has the cashiers «Анна» (PIN 1111, may refund) and «Борис» (PIN 2222), and a start prints a code that pairs', async () => {
		await truncateAll(t.db);
		expect(await seedDemo(t.db)).toBe(true);
		const cashiers = await t.db
			.selectFrom('cashiers')
			.innerJoin('users', 'users.company_id', 'cashiers.company_id')
			.select(['name', 'can_refund', 'active', 'pin_salt', 'pin_verifier', 'pin_iterations'])
			.where('users.email', '=', 'company@kopek.local')
			.orderBy('name')
			.execute();
		expect(cashiers.map((c) => [c.name, c.can_refund, c.active])).toEqual([
			['Анна', true, true],
			['Борис', false, true]
		]);
		const pin = (c: (typeof cashiers)[number]) => ({
			salt: c.pin_salt,
			verifier: c.pin_verifier,
			iterations: c.pin_iterations
		});
		expect(await verifyPin('1111', pin(cashiers[0]!))).toBe(true);
		expect(await verifyPin('2222', pin(cashiers[1]!))).toBe(true);
		expect(await verifyPin('2222', pin(cashiers[0]!))).toBe(false);

		const code = await demoPairingCode(t.db);
		expect(code).toMatch(/^[34679ACDEFGHJKMNPQRTUVWXY]{4}-[34679ACDEFGHJKMNPQRTUVWXY]{4}$/);
		const anonymous = callerAsTerminal(t.db, null as unknown as TerminalPrincipal);
		expect(await anonymous.devices.pair({ code: code! })).toMatchObject({
			ok: true,
			companyName: expect.stringContaining('Albixe')
		});
	});
});
