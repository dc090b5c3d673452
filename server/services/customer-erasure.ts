import type { Kysely } from 'kysely';
import { verifyPassword } from '../auth/password';
import type { Database } from '../db/types';
import { zeroBalance } from '../repositories/balances';
import { withdrawAndScrubForCustomer } from '../repositories/consents';
import {
	anonymiseCustomer,
	deleteCustomerLogin,
	insertErasure,
	ledgerOf,
	lockCustomer
} from '../repositories/erasures';

export type ErasureRefusal = 'wrong_password' | 'not_confirmed' | 'already_erased';

/**
 * Erases a customer's account at their request (152-FZ; SPEC C12), in one transaction:
 * - the login goes (account, sessions, failed-login records), the name and phone are erased,
 *   the consents count as withdrawn and lose the address and browser they were given from;
 * - the operations stay, unchanged, in the companies' books: they refer to the customer ID,
 *   which now stands for nobody (and takes no new operations: sync rejects it);
 * - the balance is forfeited: `customer_balances` goes to 0 (so it no longer equals the ledger
 *   sum for an erased customer) and the amount is written into the erasure's audit row.
 *
 * The password confirms it is the customer (an open session alone cannot erase), and
 * `confirmed` that they read the warning about the balance.
 */
export async function eraseCustomer(
	db: Kysely<Database>,
	input: { userId: string; customerId: string; password: string; confirmed: boolean }
): Promise<{ ok: true; forfeitedKopecks: number } | { ok: false; error: ErasureRefusal }> {
	if (!input.confirmed) return { ok: false, error: 'not_confirmed' };
	const account = await db
		.selectFrom('users')
		.select('password_hash')
		.where('id', '=', input.userId)
		.where('customer_id', '=', input.customerId)
		.executeTakeFirst();
	if (!account) return { ok: false, error: 'already_erased' };
	if (!(await verifyPassword(account.password_hash, input.password))) {
		return { ok: false, error: 'wrong_password' };
	}
	return db.transaction().execute(async (trx) => {
		const customer = await lockCustomer(trx, input.customerId);
		if (!customer || customer.erasedAt)
			return { ok: false as const, error: 'already_erased' as const };
		const ledger = await ledgerOf(trx, input.customerId);
		// The materialised balance (C9) is what is forfeited; the one-time-code secret goes too.
		const forfeitedKopecks = await zeroBalance(trx, input.customerId);
		await trx
			.deleteFrom('customer_otp_secrets')
			.where('customer_id', '=', input.customerId)
			.execute();
		await anonymiseCustomer(trx, input.customerId);
		const consentsWithdrawn = await withdrawAndScrubForCustomer(trx, input.customerId);
		await deleteCustomerLogin(trx, input.customerId);
		await insertErasure(trx, {
			customerId: input.customerId,
			forfeitedKopecks,
			operationsKept: ledger.operations,
			consentsWithdrawn
		});
		return { ok: true as const, forfeitedKopecks };
	});
}
