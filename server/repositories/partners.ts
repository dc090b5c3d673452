import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/** The companies a partner registered (their inviter), newest first. */
export function listCompaniesOfPartner(db: Db, partnerId: number) {
	return db
		.selectFrom('companies')
		.select(['id', 'name', 'inn', 'status', 'city', 'created_at as createdAt'])
		.where('inviter_partner_id', '=', partnerId)
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.execute();
}

/**
 * One company of this partner with its details, or undefined — also when the company exists
 * but belongs to another partner, so nobody can tell the two apart.
 */
export function getCompanyOfPartner(db: Db, partnerId: number, companyId: number) {
	return db
		.selectFrom('companies')
		.select([
			'id',
			'name',
			'status',
			'rejection_reason as rejectionReason',
			'inn',
			'kpp',
			'ogrn',
			'director_last_name as directorLastName',
			'director_first_name as directorFirstName',
			'legal_address as legalAddress',
			'postcode',
			'region',
			'city',
			'settlement',
			'street',
			'house',
			'building',
			'office',
			'country',
			'phone',
			'email',
			'time_zone as timeZone',
			'created_at as createdAt',
			'approved_at as approvedAt'
		])
		.where('id', '=', companyId)
		.where('inviter_partner_id', '=', partnerId)
		.executeTakeFirst();
}

/** The counter terminals of a company, oldest first (the caller checked the company is theirs). */
export function listDevicesOfCompany(db: Db, companyId: number) {
	return db
		.selectFrom('devices')
		.select(['id', 'name', 'created_at as createdAt', 'last_sync_at as lastSyncAt'])
		.where('company_id', '=', companyId)
		.orderBy('created_at', 'asc')
		.orderBy('id', 'asc')
		.execute();
}

/**
 * Registers a counter terminal for a company of this partner. One statement: the INSERT …
 * SELECT inserts nothing when the company is not the partner's, and then undefined comes back.
 */
export function insertDeviceForPartnerCompany(
	db: Db,
	input: { partnerId: number; companyId: number; name: string }
) {
	return db
		.insertInto('devices')
		.columns(['company_id', 'name'])
		.expression((eb) =>
			eb
				.selectFrom('companies')
				.select((s) => ['companies.id', s.cast<string>(s.val(input.name), 'text').as('name')])
				.where('companies.id', '=', input.companyId)
				.where('companies.inviter_partner_id', '=', input.partnerId)
		)
		.returning(['id', 'name', 'created_at as createdAt'])
		.executeTakeFirst();
}
