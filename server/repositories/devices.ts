import type { Kysely, Transaction } from 'kysely';
import type { CompanyStatus, Database, Device } from '../db/types';

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

/**
 * What a sync needs to know before looking at operations, in one query: the company's status
 * and whether `deviceId` is one of its terminals (null when unknown or another company's).
 */
export async function getSyncContext(
	db: Db,
	companyId: number,
	deviceId: string
): Promise<{ companyStatus: CompanyStatus; deviceId: string | null } | null> {
	const row = await db
		.selectFrom('companies as c')
		.leftJoin('devices as d', (join) =>
			join.on('d.id', '=', deviceId).onRef('d.company_id', '=', 'c.id')
		)
		.select(['c.status', 'd.id as device_id'])
		.where('c.id', '=', companyId)
		.executeTakeFirst();
	return row ? { companyStatus: row.status, deviceId: row.device_id } : null;
}

/** Records that a terminal has just talked to the server. */
export async function touchLastSync(db: Db, deviceId: string, at: Date): Promise<void> {
	await db.updateTable('devices').set({ last_sync_at: at }).where('id', '=', deviceId).execute();
}
