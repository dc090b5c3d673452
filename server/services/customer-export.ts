import type { Kysely } from 'kysely';
import type { Database } from '../db/types';
import { listForCustomer } from '../repositories/consents';
import { ledgerOf } from '../repositories/erasures';

/**
 * Everything Kopek holds about a customer, as they download it (152-FZ art. 14): the profile
 * with the login, the consents as recorded, and every operation with the company where it
 * happened. Null when there is no such customer.
 */
export async function exportCustomerData(db: Kysely<Database>, customerId: string) {
	const profile = await db
		.selectFrom('customers')
		.leftJoin('users', 'users.customer_id', 'customers.id')
		.select([
			'customers.id as customerId',
			'customers.name',
			'customers.phone',
			'users.email',
			'users.locale',
			'customers.created_at as createdAt'
		])
		.where('customers.id', '=', customerId)
		.where('customers.erased_at', 'is', null)
		.executeTakeFirst();
	if (!profile) return null;
	const [consents, operations, ledger] = await Promise.all([
		listForCustomer(db, customerId),
		db
			.selectFrom('operations')
			.innerJoin('companies', 'companies.id', 'operations.company_id')
			.select([
				'operations.id',
				'operations.kind',
				'operations.occurred_at as occurredAt',
				'companies.name as company',
				'operations.amount_kopecks as amountKopecks',
				'operations.redeemed_kopecks as redeemedKopecks',
				'operations.rate_bp as rateBp',
				'operations.cashback_kopecks as cashbackKopecks',
				'operations.reverses_id as reversesId',
				'operations.reason'
			])
			.where('operations.customer_id', '=', customerId)
			.orderBy('operations.occurred_at')
			.orderBy('operations.id')
			.execute(),
		ledgerOf(db, customerId)
	]);
	return {
		format: 'kopek-customer-data/1',
		exportedAt: new Date(),
		profile,
		balanceKopecks: ledger.balanceKopecks,
		consents: consents.map((c) => ({
			purpose: c.purpose,
			document: c.document,
			locale: c.locale,
			textHash: c.textHash,
			givenAt: c.givenAt,
			ip: c.ip,
			userAgent: c.userAgent,
			withdrawnAt: c.withdrawnAt
		})),
		operations
	};
}
