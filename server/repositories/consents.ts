import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { ConsentsTable, Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertConsents(db: Db, rows: Insertable<ConsentsTable>[]): Promise<void> {
	if (rows.length > 0) await db.insertInto('consents').values(rows).execute();
}

const CONSENT_COLUMNS = [
	'id',
	'purpose',
	'document',
	'locale',
	'text_hash as textHash',
	'given_at as givenAt',
	'ip',
	'user_agent as userAgent',
	'withdrawn_at as withdrawnAt'
] as const;

/** A customer's consents, oldest first. */
export function listForCustomer(db: Db, customerId: string) {
	return db
		.selectFrom('consents')
		.select(CONSENT_COLUMNS)
		.where('customer_id', '=', customerId)
		.orderBy('given_at')
		.orderBy('id')
		.execute();
}

/** A company's consents (its registration), oldest first. */
export function listForCompany(db: Db, companyId: number) {
	return db
		.selectFrom('consents')
		.select(CONSENT_COLUMNS)
		.where('company_id', '=', companyId)
		.orderBy('given_at')
		.orderBy('id')
		.execute();
}

/**
 * At erasure: the customer's consents count as withdrawn, and the address and browser they
 * were given from (personal data themselves) are erased. The purpose, text version and time
 * stay as the record that processing until then had a consent. Returns how many were open.
 */
export async function withdrawAndScrubForCustomer(
	trx: Transaction<Database>,
	customerId: string
): Promise<number> {
	const rows = await trx
		.updateTable('consents')
		.set({
			withdrawn_at: sql<Date>`coalesce(withdrawn_at, now())`,
			ip: null,
			user_agent: null,
			user_id: null
		})
		.where('customer_id', '=', customerId)
		.returning(sql<boolean>`withdrawn_at = now()`.as('now'))
		.execute();
	return rows.filter((r) => r.now).length;
}
