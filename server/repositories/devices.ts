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
