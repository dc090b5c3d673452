import type { Kysely } from 'kysely';
import { nextTillName } from '../../src/lib/domain/till-name';
import type { Database, Device, RevokeMode } from '../db/types';
import { getDeviceOfCompany, insertDevice, listDeviceNames } from '../repositories/devices';
import { revokeDevice } from '../repositories/terminals';

/**
 * Registers a till of the company (the admin's counter in a browser profile). Without a name
 * it is the next free «Касса N»: chosen under a lock on the company's row, so two browsers
 * registering at once still get two different names.
 */
export async function registerTill(
	db: Kysely<Database>,
	input: { companyId: number; name?: string }
): Promise<Device> {
	return db.transaction().execute(async (trx) => {
		await trx
			.selectFrom('companies')
			.select('id')
			.where('id', '=', input.companyId)
			.forUpdate()
			.executeTakeFirst();
		const name = input.name ?? nextTillName(await listDeviceNames(trx, input.companyId));
		return insertDevice(trx, { companyId: input.companyId, name });
	});
}

/** The name «Кассы» offers for the next till. */
export async function suggestTillName(db: Kysely<Database>, companyId: number): Promise<string> {
	return nextTillName(await listDeviceNames(db, companyId));
}

/**
 * Retires a till («Вывести из работы»). A paired terminal is revoked in the mode the admin
 * chose (C10). The admin's own till (an owner login in a browser) is retired in good order
 * only (`accept_before`), whatever was asked: its operations come under the admin's own
 * session, which the sync trusts for the company, so its device ID keeps delivering whatever
 * its outbox still holds — nothing it took is lost or refused. Retiring takes it out of the
 * tills in use; that browser learns of it at its next contact and asks for a till again.
 */
export async function retireTill(
	db: Kysely<Database>,
	input: { companyId: number; deviceId: string; mode: RevokeMode; now: Date }
): Promise<boolean> {
	const device = await getDeviceOfCompany(db, input.companyId, input.deviceId);
	if (!device) return false;
	const mode = device.credential_hash === null ? 'accept_before' : input.mode;
	return db.transaction().execute((trx) => revokeDevice(trx, { ...input, mode }));
}
