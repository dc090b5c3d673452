import { sql, type Kysely, type Transaction } from 'kysely';
import {
	CUSTOMER_ID_MAX_LENGTH,
	CUSTOMER_ID_MIN_LENGTH,
	generateCustomerId
} from '../../src/lib/domain/customer-id';
import { pendingNow } from './balances';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/** Attempts per ID length before the next, longer length is tried. */
const ATTEMPTS_PER_LENGTH = 8;

/** How many digits the `attempt`-th try (0-based) uses: six while six have room, then more. */
export function customerIdLengthForAttempt(attempt: number): number {
	return Math.min(
		CUSTOMER_ID_MAX_LENGTH,
		CUSTOMER_ID_MIN_LENGTH + Math.floor(attempt / ATTEMPTS_PER_LENGTH)
	);
}

/**
 * Inserts a customer under a fresh random ID (Luhn check digit last) and returns the ID. A
 * taken ID is skipped by `ON CONFLICT (id) DO NOTHING` and another is drawn; after a few misses
 * the IDs grow a digit, so a crowded six-digit space never blocks a sign-up. A taken phone is
 * NOT skipped: its unique index raises, and the caller reports it.
 */
export async function insertCustomerWithNewId(
	db: Db,
	input: { name: string; phone: string },
	newId: (digits: number) => string = generateCustomerId
): Promise<string> {
	const maxAttempts = (CUSTOMER_ID_MAX_LENGTH - CUSTOMER_ID_MIN_LENGTH + 1) * ATTEMPTS_PER_LENGTH;
	for (let attempt = 0; attempt < maxAttempts; attempt++) {
		const id = newId(customerIdLengthForAttempt(attempt));
		const row = await db
			.insertInto('customers')
			.values({ id, name: input.name, phone: input.phone })
			.onConflict((oc) => oc.column('id').doNothing())
			.returning('id')
			.executeTakeFirst();
		if (row) return row.id;
	}
	throw new Error(`no free customer ID after ${maxAttempts} attempts`);
}

/** The login account of a customer. */
export function insertCustomerAccount(
	db: Db,
	input: { email: string; passwordHash: string; customerId: string; locale?: 'ru' | 'en' }
) {
	return db
		.insertInto('users')
		.values({
			email: input.email,
			password_hash: input.passwordHash,
			role: 'customer',
			customer_id: input.customerId,
			locale: input.locale
		})
		.returning('id')
		.executeTakeFirstOrThrow();
}

/** Whether a phone (E.164) already belongs to a customer. */
export async function isCustomerPhoneTaken(db: Db, phone: string): Promise<boolean> {
	const row = await db
		.selectFrom('customers')
		.select('id')
		.where('phone', '=', phone)
		.executeTakeFirst();
	return row !== undefined;
}

/** Whether an e-mail (normalized) is already somebody's login. */
export async function isLoginTaken(db: Db, email: string): Promise<boolean> {
	const row = await db
		.selectFrom('users')
		.select('id')
		.where('email', '=', email)
		.executeTakeFirst();
	return row !== undefined;
}

/** The customer's own details. */
export function getCustomer(db: Db, customerId: string) {
	return db
		.selectFrom('customers')
		.select(['id', 'name', 'phone', 'created_at as createdAt'])
		.where('id', '=', customerId)
		.executeTakeFirst();
}

/**
 * The available cashback balance (the materialised customer_balances row, which equals the
 * ledger: cashback earned minus cashback spent, refunds included; less what is still pending,
 * issue 22). Also how many operations and
 * purchases there are, and the total spent net of refunds.
 */
export async function getCustomerBalance(db: Db, customerId: string) {
	const row = await db
		.selectFrom('operations')
		.select([
			sql<number>`coalesce((select balance_kopecks - ${pendingNow(customerId)}
				from customer_balances where customer_id = ${customerId}), 0)`.as('balanceKopecks'),
			sql<number>`count(*)`.as('operationCount'),
			sql<number>`count(*) filter (where kind = 'payment')`.as('paymentCount'),
			sql<number>`coalesce(sum(amount_kopecks), 0)`.as('spentKopecks')
		])
		.where('customer_id', '=', customerId)
		.executeTakeFirstOrThrow();
	return {
		balanceKopecks: Number(row.balanceKopecks),
		operationCount: Number(row.operationCount),
		paymentCount: Number(row.paymentCount),
		spentKopecks: Number(row.spentKopecks)
	};
}

/** The customer's operations, newest first, with the company where each happened. */
export function listCustomerOperations(db: Db, customerId: string, limit: number) {
	return db
		.selectFrom('operations')
		.innerJoin('companies', 'companies.id', 'operations.company_id')
		.select([
			'operations.id',
			'operations.kind',
			'operations.occurred_at as occurredAt',
			'operations.amount_kopecks as amountKopecks',
			'operations.rate_bp as rateBp',
			'operations.cashback_kopecks as cashbackKopecks',
			'operations.redeemed_kopecks as redeemedKopecks',
			'companies.name as companyName',
			'companies.time_zone as timeZone'
		])
		.where('operations.customer_id', '=', customerId)
		.orderBy('operations.occurred_at', 'desc')
		.orderBy('operations.id', 'desc')
		.limit(limit)
		.execute();
}
