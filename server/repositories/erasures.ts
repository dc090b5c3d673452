import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * What an erased customer's row says instead of a name: the companies' lists and CSV show it
 * where the name was (their books keep the operation, not the person).
 */
export const ERASED_CUSTOMER_NAME = 'Клиент удалён';

/**
 * Locks the customer's row for the erasure. `FOR UPDATE` waits for every sync batch that has
 * read this customer (they hold `FOR KEY SHARE`, see sync-batch.ts) and makes later ones wait
 * and then see the erasure, so no cashback accrues between the balance and the erasure.
 */
export function lockCustomer(trx: Transaction<Database>, customerId: string) {
	return trx
		.selectFrom('customers')
		.select(['id', 'erased_at as erasedAt'])
		.where('id', '=', customerId)
		.forUpdate()
		.executeTakeFirst();
}

/** The ledger balance (cashback earned minus cashback spent) and the number of operations. */
export async function ledgerOf(db: Db, customerId: string) {
	const row = await db
		.selectFrom('operations')
		.select([
			sql<number>`coalesce(sum(cashback_kopecks) - sum(redeemed_kopecks), 0)`.as('balance'),
			sql<number>`count(*)`.as('operations')
		])
		.where('customer_id', '=', customerId)
		.executeTakeFirstOrThrow();
	return { balanceKopecks: Number(row.balance), operations: Number(row.operations) };
}

/** The customer keeps its ID (the operations refer to it) and nothing else about the person. */
export async function anonymiseCustomer(
	trx: Transaction<Database>,
	customerId: string
): Promise<void> {
	await trx
		.updateTable('customers')
		.set({ name: ERASED_CUSTOMER_NAME, phone: null, erased_at: sql<Date>`now()` })
		.where('id', '=', customerId)
		.execute();
}

/**
 * Removes the customer's login: the account row (its sessions go with it, ON DELETE CASCADE)
 * and the failed-login records of its e-mail. Returns how many accounts were removed.
 */
export async function deleteCustomerLogin(
	trx: Transaction<Database>,
	customerId: string
): Promise<number> {
	const users = await trx
		.deleteFrom('users')
		.where('customer_id', '=', customerId)
		.returning('email')
		.execute();
	const emails = users.map((u) => u.email);
	if (emails.length > 0) {
		await trx.deleteFrom('login_attempts').where('email', 'in', emails).execute();
	}
	return users.length;
}

export async function insertErasure(
	trx: Transaction<Database>,
	row: {
		customerId: string;
		forfeitedKopecks: number;
		operationsKept: number;
		consentsWithdrawn: number;
	}
): Promise<void> {
	await trx
		.insertInto('customer_erasures')
		.values({
			customer_id: row.customerId,
			forfeited_kopecks: row.forfeitedKopecks,
			operations_kept: row.operationsKept,
			consents_withdrawn: row.consentsWithdrawn
		})
		.execute();
}

/** The erasure audit log, newest first. */
export function listErasures(db: Db, limit: number) {
	return db
		.selectFrom('customer_erasures')
		.select([
			'id',
			'customer_id as customerId',
			'erased_at as erasedAt',
			'forfeited_kopecks as forfeitedKopecks',
			'operations_kept as operationsKept',
			'consents_withdrawn as consentsWithdrawn'
		])
		.orderBy('erased_at', 'desc')
		.orderBy('id', 'desc')
		.limit(limit)
		.execute();
}
