import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/** The customer with this E.164 phone (unique), unless erased. */
export async function getCustomerByPhone(
	db: Db,
	phone: string
): Promise<{ id: string; name: string } | undefined> {
	return db
		.selectFrom('customers')
		.select(['id', 'name'])
		.where('phone', '=', phone)
		.where('erased_at', 'is', null)
		.executeTakeFirst();
}

/**
 * Names of the customers among `ids` that exist and are not erased, by ID; one query for any
 * number of IDs.
 */
export async function getCustomerNames(
	db: Db,
	ids: readonly string[]
): Promise<Map<string, string>> {
	const unique = [...new Set(ids)];
	if (unique.length === 0) return new Map();
	const rows = await db
		.selectFrom('customers')
		.select(['id', 'name'])
		.where('id', 'in', unique)
		.where('erased_at', 'is', null)
		.execute();
	return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * The customers a company served most recently (by their latest operation), newest first.
 * Looks at the company's latest operations only (index-ordered), so a long history costs
 * nothing extra.
 */
export async function listRecentCustomersOfCompany(
	db: Db,
	companyId: number,
	limit: number
): Promise<{ id: string; name: string }[]> {
	const recent = db
		.selectFrom('operations')
		.select(['customer_id', 'occurred_at'])
		.where('company_id', '=', companyId)
		.orderBy('occurred_at', 'desc')
		.limit(limit * 20);
	const rows = await db
		.selectFrom(recent.as('o'))
		.innerJoin('customers as c', 'c.id', 'o.customer_id')
		.where('c.erased_at', 'is', null)
		.select(['c.id', 'c.name'])
		.select((eb) => eb.fn.max('o.occurred_at').as('last_at'))
		.groupBy(['c.id', 'c.name'])
		.orderBy('last_at', 'desc')
		.limit(limit)
		.execute();
	return rows.map(({ id, name }) => ({ id, name }));
}
