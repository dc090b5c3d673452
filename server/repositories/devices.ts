import type { Kysely, Transaction } from 'kysely';
import type { Database, Device } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/** Registers a counter terminal of a company. */
export async function insertDevice(
	db: Db,
	input: { companyId: number; name: string }
): Promise<Device> {
	return db
		.insertInto('devices')
		.values({ company_id: input.companyId, name: input.name })
		.returningAll()
		.executeTakeFirstOrThrow();
}

/** A company's terminals, oldest first. */
export async function listDevicesForCompany(db: Db, companyId: number): Promise<Device[]> {
	return db
		.selectFrom('devices')
		.selectAll()
		.where('company_id', '=', companyId)
		.orderBy('created_at')
		.orderBy('id')
		.execute();
}

/** The names of a company's tills, retired ones too (a new till's name differs from all). */
export async function listDeviceNames(db: Db, companyId: number): Promise<string[]> {
	const rows = await db
		.selectFrom('devices')
		.select('name')
		.where('company_id', '=', companyId)
		.execute();
	return rows.map((r) => r.name);
}

/** A company's till by ID: whether it is paired (a terminal) or the admin's own. */
export function getDeviceOfCompany(db: Db, companyId: number, deviceId: string) {
	return db
		.selectFrom('devices')
		.select(['id', 'name', 'credential_hash', 'revoked_at'])
		.where('id', '=', deviceId)
		.where('company_id', '=', companyId)
		.executeTakeFirst();
}

/** Renames a company's till; false when the company has no such till. */
export async function renameDevice(
	db: Db,
	input: { companyId: number; deviceId: string; name: string }
): Promise<boolean> {
	const result = await db
		.updateTable('devices')
		.set({ name: input.name })
		.where('id', '=', input.deviceId)
		.where('company_id', '=', input.companyId)
		.executeTakeFirst();
	return result.numUpdatedRows > 0n;
}
