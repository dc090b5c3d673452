import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { lookUpCustomerByPhoneForCompany } from '../../server/services/customer-phone-lookup';
import { useTestDatabase } from './support/db';
import { insertDevice, insertPayment } from './support/cabinets-fixtures';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';

/** Issue 19 item 10: step 1 by phone, under the lookup limits; «Клиенты» searched by ID or name. */
const t = useTestDatabase({ truncate: true });

async function companyCaller() {
	const companyId = await insertCompany(t.db, { status: 'active', rateBp: 500 });
	const user = await insertUser(t.db, 'company', { companyId });
	return { companyId, api: await callerAs(t.db, user) };
}

async function customerWithPhone(id: string, name: string, phone: string) {
	await insertCustomer(t.db, id, name);
	await t.db.updateTable('customers').set({ phone }).where('id', '=', id).execute();
	return id;
}

describe('customers.lookup by phone', () => {
	it('finds the customer however the number is written', async () => {
		const id = await customerWithPhone('123455', 'Иванова Мария', '+79111111111');
		const { api } = await companyCaller();
		for (const phone of ['+7 911 111-11-11', '8 (911) 111-11-11', '89111111111', '911-111-1111']) {
			expect(await api.customers.lookup({ phone })).toEqual({
				customerId: id,
				name: 'Иванова Мария'
			});
		}
		expect(await api.customers.lookup({ phone: '+7 999 000-00-00' })).toBeNull();
		expect(await api.customers.lookup({ phone: 'не телефон' })).toBeNull();
	});

	it('every phone lookup takes a slot of the company’s limit, shared with lookups by ID', async () => {
		await customerWithPhone('123455', 'Иванова Мария', '+79111111111');
		const { companyId } = await companyCaller();
		const windows = [{ windowMs: 60_000, max: 3 }];
		const now = new Date('2026-12-01T09:00:00Z');
		const look = (phone: string) =>
			lookUpCustomerByPhoneForCompany(t.db, companyId, phone, { windows, now });
		expect(await look('89111111111')).toEqual({
			ok: true,
			customer: { customerId: '123455', name: 'Иванова Мария' }
		});
		// an unknown number and a malformed one count too
		expect(await look('+79990000000')).toEqual({ ok: true, customer: null });
		expect(await look('12')).toEqual({ ok: true, customer: null });
		expect(await look('89111111111')).toMatchObject({ ok: false, error: 'throttled' });
		const events = await t.db
			.selectFrom('rate_events')
			.select(['scope', 'subject'])
			.where('subject', '=', String(companyId))
			.execute();
		expect(events).toEqual(Array(3).fill({ scope: 'customer_lookup', subject: String(companyId) }));
	});

	it('past the limit a phone lookup is TOO_MANY_REQUESTS like an ID lookup', async () => {
		await customerWithPhone('123455', 'Иванова Мария', '+79111111111');
		const { api } = await companyCaller();
		// The default limit is 60 a minute: ID lookups use it up, then the phone is refused.
		for (let i = 0; i < 60; i++) await api.customers.lookup({ customerId: '123455' });
		const refused = await api.customers.lookup({ phone: '89111111111' }).catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(TRPCError);
		expect((refused as TRPCError).code).toBe('TOO_MANY_REQUESTS');
	});

	it('a pending company cannot look up by phone', async () => {
		await customerWithPhone('123455', 'Иванова Мария', '+79111111111');
		const companyId = await insertCompany(t.db, { status: 'pending' });
		const api = await callerAs(t.db, await insertUser(t.db, 'company', { companyId }));
		const refused = await api.customers.lookup({ phone: '89111111111' }).catch((e: unknown) => e);
		expect((refused as TRPCError).code).toBe('FORBIDDEN');
	});
});

describe('«Клиенты» searched by customer ID or name', () => {
	it('finds the company’s own operations only, by the start of the ID or part of the name', async () => {
		await insertCustomer(t.db, '123455', 'Иванова Мария');
		await insertCustomer(t.db, '765438', 'Петров Пётр');
		await insertCustomer(t.db, '100009', 'Сидоров_100%');
		const { companyId, api } = await companyCaller();
		const deviceId = await insertDevice(t.db, companyId);
		const pay = (customerId: string) =>
			insertPayment(t.db, {
				companyId,
				deviceId,
				customerId,
				amountKopecks: 100_00,
				rateBp: 500,
				occurredAt: new Date()
			});
		const ivanova = await pay('123455');
		const petrov = await pay('765438');
		const sidorov = await pay('100009');
		// Another company's customer: never found in this company's list.
		const other = await insertCompany(t.db, { status: 'active', rateBp: 500 });
		await insertCustomer(t.db, '123463', 'Иванов Иван');
		await insertPayment(t.db, {
			companyId: other,
			deviceId: await insertDevice(t.db, other),
			customerId: '123463',
			amountKopecks: 100_00,
			rateBp: 500,
			occurredAt: new Date()
		});

		const found = async (customer: string) =>
			(
				await api.companies.listOperations({ period: { kind: 'day' }, filter: { customer } })
			).rows.map((r) => r.id);
		expect(await found('123455')).toEqual([ivanova]);
		expect(await found('123')).toEqual([ivanova]);
		expect(await found('765 438')).toEqual([petrov]);
		expect(await found('иванов')).toEqual([ivanova]);
		expect(await found('ПЁТР')).toEqual([petrov]);
		// % and _ are letters here, not wildcards
		expect(await found('_100%')).toEqual([sidorov]);
		expect(await found('%')).toEqual([sidorov]);
		expect(await found('Нет такого')).toEqual([]);
		expect((await found('')).sort()).toEqual([ivanova, petrov, sidorov].sort());
	});
});
