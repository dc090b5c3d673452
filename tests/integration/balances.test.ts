import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import * as redemptionMigration from '../../migrations/0004_redemption';
import { addActivityClock } from '../../migrations/0030_program_rules';
import {
	getBalance,
	listBalanceMismatches,
	spendBalance,
	zeroBalance
} from '../../server/repositories/balances';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { insertDevice, insertPayment } from './support/cabinets-fixtures';
import { useTestDatabase } from './support/db';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';

const t = useTestDatabase({ truncate: true });
beforeEach(async () => {
	await insertCustomer(t.db, '123455', 'Иванов Иван');
	await insertCustomer(t.db, '765438', 'Петрова Мария');
});

async function shop(rateBp = 1000) {
	const companyId = await insertCompany(t.db, { rateBp });
	const user = await insertUser(t.db, 'company', { companyId });
	const api = await callerAs(t.db, user);
	const { deviceId } = await api.devices.register({ name: 'Касса 1' });
	return { companyId, api, deviceId };
}

describe('customer balances', () => {
	it('the migration backfills every customer from the ledger', async () => {
		const companyId = await insertCompany(t.db, { rateBp: 1000 });
		const deviceId = await insertDevice(t.db, companyId);
		const at = new Date(Date.now() - 60_000);
		await insertPayment(t.db, {
			companyId,
			deviceId,
			customerId: '123455',
			amountKopecks: 10_000,
			rateBp: 1000,
			occurredAt: at
		});
		await insertPayment(t.db, {
			companyId,
			deviceId,
			customerId: '123455',
			amountKopecks: 5_55,
			rateBp: 1000,
			occurredAt: at
		});
		// Undo and redo the migration over that ledger: the balance is rebuilt from it.
		await redemptionMigration.down(t.db as never);
		await redemptionMigration.up(t.db as never);
		await addActivityClock(t.db as never); // 0030 adds a column to the table 0004 makes
		const rows = await t.db.selectFrom('customer_balances').selectAll().execute();
		expect(Object.fromEntries(rows.map((r) => [r.customer_id, r.balance_kopecks]))).toEqual({
			'123455': 1_000 + 56,
			'765438': 0
		});
	});

	it('the CHECK refuses a negative balance whatever the application does', async () => {
		await expect(
			sql`insert into customer_balances (customer_id, balance_kopecks) values ('123455', -1)`.execute(
				t.db
			)
		).rejects.toThrow(/customer_balances_non_negative|check/i);
	});

	it('payments.sync credits the cashback of what it stores, once (duplicates do not)', async () => {
		const { api, deviceId } = await shop(1000);
		const ops = [
			{ id: uuidv7(), customerId: '123455', amountKopecks: 100_00 },
			{ id: uuidv7(), customerId: '123455', amountKopecks: 33_33 },
			{ id: uuidv7(), customerId: '765438', amountKopecks: 50_00 },
			{ id: uuidv7(), customerId: '999998', amountKopecks: 50_00 }
		].map((o) => ({ ...o, occurredAt: new Date(Date.now() - 60_000).toISOString() }));
		await api.payments.sync({ deviceId, operations: ops });
		expect(await getBalance(t.db, '123455')).toBe(10_00 + 3_33);
		expect(await getBalance(t.db, '765438')).toBe(5_00);
		// The same batch again: all duplicates, nothing credited twice.
		const again = await api.payments.sync({ deviceId, operations: ops.slice(0, 3) });
		expect(again.map((o) => o.outcome)).toEqual(['duplicate', 'duplicate', 'duplicate']);
		expect(await getBalance(t.db, '123455')).toBe(13_33);
		expect(await listBalanceMismatches(t.db)).toEqual([]);
	});

	it('concurrent syncs of many devices keep every balance equal to the ledger', async () => {
		const shops = [await shop(500), await shop(1000), await shop(1500)];
		await Promise.all(
			shops.flatMap(({ api, deviceId }) =>
				[0, 1, 2, 3].map(() =>
					api.payments.sync({
						deviceId,
						operations: ['123455', '765438', '123455'].map((customerId, i) => ({
							id: uuidv7(),
							customerId,
							amountKopecks: 1_000 + i * 777,
							occurredAt: new Date(Date.now() - 60_000).toISOString()
						}))
					})
				)
			)
		);
		expect(await listBalanceMismatches(t.db)).toEqual([]);
		expect(await getBalance(t.db, '123455')).toBeGreaterThan(0);
	});

	it('spendBalance never overdraws: concurrent spends of more than the balance', async () => {
		await sql`insert into customer_balances (customer_id, balance_kopecks) values ('123455', 1000)`.execute(
			t.db
		);
		const results = await Promise.all(
			Array.from({ length: 12 }, () =>
				t.db.transaction().execute((trx) => spendBalance(trx, '123455', 300))
			)
		);
		expect(results.filter((r) => r !== null)).toHaveLength(3);
		expect(await getBalance(t.db, '123455')).toBe(100);
	});

	it('a refund takes the accrual back; refused when the customer already spent it', async () => {
		const { api, deviceId } = await shop(1000);
		const paymentId = uuidv7();
		await api.payments.sync({
			deviceId,
			operations: [
				{
					id: paymentId,
					customerId: '123455',
					amountKopecks: 100_00,
					occurredAt: new Date(Date.now() - 60_000).toISOString()
				}
			]
		});
		expect(await getBalance(t.db, '123455')).toBe(10_00);
		// Spent elsewhere (here: straight off the balance, as a redemption would).
		await spendBalance(t.db, '123455', 5_00);
		const refused = await api.companies.refund({ operationId: paymentId, reason: 'Возврат' });
		expect(refused).toEqual({ ok: false, error: 'cashback_spent' });
		expect(await getBalance(t.db, '123455')).toBe(5_00);
		await sql`update customer_balances set balance_kopecks = 1000`.execute(t.db);
		const done = await api.companies.refund({ operationId: paymentId, reason: 'Возврат' });
		expect(done.ok).toBe(true);
		expect(await getBalance(t.db, '123455')).toBe(0);
		expect(await listBalanceMismatches(t.db)).toEqual([]);
	});

	it('zeroBalance forfeits a balance and says how much it was', async () => {
		await sql`insert into customer_balances (customer_id, balance_kopecks) values ('123455', 777)`.execute(
			t.db
		);
		expect(await t.db.transaction().execute((trx) => zeroBalance(trx, '123455'))).toBe(777);
		expect(await getBalance(t.db, '123455')).toBe(0);
	});
});
