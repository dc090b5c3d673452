/**
 * The data a sync benchmark needs, made directly in the bench database: one active company
 * with a rate, its terminals with a signed-in session each, and customers.
 */
import type { Kysely } from 'kysely';
import { createSession } from '../../server/auth/session';
import { hashPassword } from '../../server/auth/password';
import type { Database } from '../../server/db/types';
import { generateCustomerId } from '../../src/lib/domain/customer-id';

export interface BenchWorld {
	companyId: number;
	rateBp: number;
	customers: string[];
	devices: { deviceId: string; userId: string; cookie: string }[];
}

export async function createWorld(
	db: Kysely<Database>,
	options: { devices: number; customers: number }
): Promise<BenchWorld> {
	const rateBp = 1000;
	await db.insertInto('partners').values({ id: 1, name: 'Bench', licenses_available: 0 }).execute();
	const company = await db
		.insertInto('companies')
		.values({ name: 'Bench', status: 'active', email: 'bench@example.test', inviter_partner_id: 1 })
		.returning('id')
		.executeTakeFirstOrThrow();
	await db
		.insertInto('company_rates')
		.values({ company_id: company.id, rate_bp: rateBp, effective_from: new Date('2000-01-01') })
		.execute();

	const ids = new Set<string>();
	while (ids.size < options.customers) ids.add(generateCustomerId(8));
	const customers = [...ids];
	for (let i = 0; i < customers.length; i += 1000) {
		await db
			.insertInto('customers')
			.values(customers.slice(i, i + 1000).map((id) => ({ id, name: `Клиент ${id}` })))
			.execute();
	}

	const passwordHash = await hashPassword('bench-password-2026');
	const devices: BenchWorld['devices'] = [];
	for (let i = 0; i < options.devices; i++) {
		const user = await db
			.insertInto('users')
			.values({
				email: `cashier-${i}@example.test`,
				password_hash: passwordHash,
				role: 'company',
				company_id: company.id
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const device = await db
			.insertInto('devices')
			.values({ company_id: company.id, name: `Касса ${i + 1}` })
			.returning('id')
			.executeTakeFirstOrThrow();
		const { token } = await createSession(db, user.id);
		devices.push({ deviceId: device.id, userId: user.id, cookie: `kopek_session=${token}` });
	}
	return { companyId: company.id, rateBp, customers, devices };
}
