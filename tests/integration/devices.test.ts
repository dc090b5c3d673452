import { TRPCError } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from './support/db';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';
import { uuidv7 } from '../../src/lib/domain/uuid';

const t = useTestDatabase();

beforeAll(async () => {
	await insertCustomer(t.db, '123455', 'Иванов Иван');
	await insertCustomer(t.db, '765438', 'Петрова Мария');
	await insertCustomer(t.db, '246801', 'Сидоров Пётр');
});

async function newCompanyUser() {
	const companyId = await insertCompany(t.db, { rateBp: 1000 });
	return insertUser(t.db, 'company', { companyId });
}

describe('devices', () => {
	it('registers a terminal by name and lists only the company’s own', async () => {
		const mine = await callerAs(t.db, await newCompanyUser());
		const theirs = await callerAs(t.db, await newCompanyUser());
		const first = await mine.devices.register({ name: '  Касса 1 ' });
		const second = await mine.devices.register({ name: 'Касса 2' });
		await theirs.devices.register({ name: 'Чужая касса' });

		expect(first.name).toBe('Касса 1');
		const list = await mine.devices.list();
		expect(list.map((d) => [d.id, d.name, d.lastSyncAt])).toEqual([
			[first.deviceId, 'Касса 1', null],
			[second.deviceId, 'Касса 2', null]
		]);
	});

	it('refuses an empty or overlong name', async () => {
		const caller = await callerAs(t.db, await newCompanyUser());
		for (const name of ['', '   ', 'К'.repeat(101)]) {
			const error = await caller.devices.register({ name }).catch((e: unknown) => e);
			expect((error as TRPCError).code).toBe('BAD_REQUEST');
		}
	});

	it('shows when each terminal last synced', async () => {
		const caller = await callerAs(t.db, await newCompanyUser());
		const a = await caller.devices.register({ name: 'A' });
		const b = await caller.devices.register({ name: 'B' });
		await caller.payments.sync({
			deviceId: a.deviceId,
			operations: [
				{
					id: uuidv7(),
					customerId: '123455',
					amountKopecks: 100,
					occurredAt: new Date().toISOString()
				}
			]
		});
		// Registered in the same millisecond, the two are listed in ID order: found by ID.
		const listed = await caller.devices.list();
		expect(listed.find((d) => d.id === a.deviceId)!.lastSyncAt).toBeInstanceOf(Date);
		expect(listed.find((d) => d.id === b.deviceId)!.lastSyncAt).toBeNull();
	});
});

describe('customers for the counter', () => {
	it('looks a customer up by ID, and answers null for an unknown or malformed one', async () => {
		const caller = await callerAs(t.db, await newCompanyUser());
		expect(await caller.customers.lookup({ customerId: '765438' })).toEqual({
			customerId: '765438',
			name: 'Петрова Мария'
		});
		expect(await caller.customers.lookup({ customerId: '111111' })).toBeNull();
		expect(await caller.customers.lookup({ customerId: 'abc' })).toBeNull();
	});

	it('lists the company’s recent customers, newest first, and no one else’s', async () => {
		const user = await newCompanyUser();
		const caller = await callerAs(t.db, user);
		const other = await callerAs(t.db, await newCompanyUser());
		const { deviceId } = await caller.devices.register({ name: 'Касса' });
		const { deviceId: otherDevice } = await other.devices.register({ name: 'Касса' });
		const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
		await caller.payments.sync({
			deviceId,
			operations: [
				{ id: uuidv7(), customerId: '123455', amountKopecks: 100, occurredAt: at(30) },
				{ id: uuidv7(), customerId: '765438', amountKopecks: 100, occurredAt: at(20) },
				{ id: uuidv7(), customerId: '123455', amountKopecks: 100, occurredAt: at(10) }
			]
		});
		await other.payments.sync({
			deviceId: otherDevice,
			operations: [{ id: uuidv7(), customerId: '246801', amountKopecks: 100, occurredAt: at(1) }]
		});
		expect(await caller.customers.recent()).toEqual([
			{ id: '123455', name: 'Иванов Иван' },
			{ id: '765438', name: 'Петрова Мария' }
		]);
	});
});
