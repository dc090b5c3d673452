import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The materialised customer balance (migration 0004). Every movement of cashback changes it
 * in the transaction that writes the movement's operation row, so it always equals the
 * ledger: sum(cashback_kopecks) - sum(redeemed_kopecks) of the customer's operations. The
 * CHECK (balance_kopecks >= 0) stands behind every function here: a decrement that would
 * overdraw is refused by its WHERE, never by luck. A customer without a row has 0.
 *
 * Issue 22 (hold period): part of that sum may still be pending (pending_cashback rows whose
 * available_at is after the transaction's now()). What can be spent — the *available*
 * balance — is the row minus that pending part, computed at the moment of reading, in the
 * statement that reads or spends (one index range of a small table); so cashback becomes
 * available by the clock alone, with no job that could miss a row. getBalance and
 * getBalanceForUpdate answer the available balance; spendBalance never takes the available
 * balance below zero. Every movement also stamps last_activity_at (the expiry clock).
 */

/** What is still pending for `customerId` at the transaction's now() (an SQL expression). */
export function pendingNow(customerId: ReturnType<typeof sql> | string) {
	return sql<number>`coalesce((select sum(p.kopecks - p.cancelled_kopecks) from pending_cashback p
		where p.customer_id = ${customerId} and p.available_at > now()), 0)`;
}

/** The customer's available balance now (0 without a row). */
export async function getBalance(db: Db, customerId: string): Promise<number> {
	const row = await db
		.selectFrom('customer_balances')
		.select(sql<number>`balance_kopecks - ${pendingNow(customerId)}`.as('available'))
		.where('customer_id', '=', customerId)
		.executeTakeFirst();
	return Number(row?.available ?? 0);
}

/**
 * The available balance, with its row locked until the transaction ends (0 and no lock
 * without a row): for a movement that must look before it writes, e.g. a refund that takes
 * cashback back.
 */
export async function getBalanceForUpdate(
	trx: Transaction<Database>,
	customerId: string
): Promise<number> {
	const row = await trx
		.selectFrom('customer_balances')
		.select(sql<number>`balance_kopecks - ${pendingNow(customerId)}`.as('available'))
		.where('customer_id', '=', customerId)
		.forUpdate()
		.executeTakeFirst();
	return Number(row?.available ?? 0);
}

/** Adds kopecks (>= 0) to a balance, creating its row; returns the new balance. */
export async function creditBalance(db: Db, customerId: string, kopecks: number): Promise<number> {
	if (!Number.isSafeInteger(kopecks) || kopecks < 0) throw new RangeError(`credit ${kopecks}`);
	const row = await db
		.insertInto('customer_balances')
		.values({ customer_id: customerId, balance_kopecks: kopecks })
		.onConflict((oc) =>
			oc.column('customer_id').doUpdateSet({
				balance_kopecks: sql<number>`customer_balances.balance_kopecks + excluded.balance_kopecks`,
				updated_at: sql<Date>`now()`,
				last_activity_at: sql<Date>`now()`
			})
		)
		.returning('balance_kopecks')
		.executeTakeFirstOrThrow();
	return row.balance_kopecks;
}

/**
 * Spends `spend` kopecks and credits `credit` in one statement, only when the available
 * balance covers `spend` by itself (what is credited now cannot pay for itself). Race-safe on Postgres and
 * PGlite alike: the conditional UPDATE re-reads the row after any concurrent writer commits.
 * Returns the new available balance (the credit counted as available: a caller that makes it
 * pending subtracts it), or null when the balance is short (nothing changed).
 */
export async function spendBalance(
	db: Db,
	customerId: string,
	spend: number,
	credit = 0
): Promise<number | null> {
	if (!Number.isSafeInteger(spend) || spend < 0) throw new RangeError(`spend ${spend}`);
	if (!Number.isSafeInteger(credit) || credit < 0) throw new RangeError(`credit ${credit}`);
	const row = await db
		.updateTable('customer_balances')
		.set({
			balance_kopecks: sql<number>`balance_kopecks - ${spend} + ${credit}`,
			updated_at: sql<Date>`now()`,
			last_activity_at: sql<Date>`now()`
		})
		.where('customer_id', '=', customerId)
		.where(sql<boolean>`balance_kopecks - ${pendingNow(customerId)} >= ${spend}`)
		.returning(sql<number>`balance_kopecks - ${pendingNow(customerId)}`.as('available'))
		.executeTakeFirst();
	return row ? Number(row.available) : null;
}

/**
 * Changes a balance by a signed delta; a negative one only when covered (see spendBalance).
 * Returns the new balance, or null when a negative delta is not covered.
 */
export function moveBalance(db: Db, customerId: string, delta: number): Promise<number | null> {
	return delta >= 0 ? creditBalance(db, customerId, delta) : spendBalance(db, customerId, -delta);
}

/**
 * Forfeits a balance (e.g. an erased customer, issue 12): sets it to 0 and returns what it was.
 * The ledger is not touched here, so afterwards the balance is the ledger sum minus the
 * returned amount: a caller that needs the two equal writes its own ledger entry.
 */
export async function zeroBalance(trx: Transaction<Database>, customerId: string): Promise<number> {
	const before = Number(
		(
			await trx
				.selectFrom('customer_balances')
				.select('balance_kopecks')
				.where('customer_id', '=', customerId)
				.forUpdate()
				.executeTakeFirst()
		)?.balance_kopecks ?? 0
	);
	// What was still pending goes with it (issue 22): nothing is left to become available. Each
	// cancellation is kept (0033, no refund: the erasure); cashback already available is part
	// of the balance zeroed here, and its past release stays as it was.
	await sql`with cancelled as (
			update pending_cashback p set cancelled_kopecks = p.kopecks
			from (select operation_id, kopecks - cancelled_kopecks as left_kopecks from pending_cashback
				where customer_id = ${customerId} and available_at > now() and kopecks > cancelled_kopecks
				for update) x
			where p.operation_id = x.operation_id
			returning p.operation_id, x.left_kopecks
		)
		insert into pending_cancellations (operation_id, refund_id, kopecks)
		select operation_id, null, left_kopecks from cancelled`.execute(trx);
	await trx
		.updateTable('customer_balances')
		.set({ balance_kopecks: 0, updated_at: sql<Date>`now()` })
		.where('customer_id', '=', customerId)
		.execute();
	return before;
}

/** Rebuilds every balance from the ledger (demo seeding, repairs). */
export async function rebuildBalances(db: Db): Promise<void> {
	await sql`
		insert into customer_balances (customer_id, balance_kopecks)
		select c.id, coalesce(sum(o.cashback_kopecks), 0) - coalesce(sum(o.redeemed_kopecks), 0)
		from customers c left join operations o on o.customer_id = c.id
		group by c.id
		on conflict (customer_id) do update set balance_kopecks = excluded.balance_kopecks,
			updated_at = now()`.execute(db);
}

/** Customers whose balance differs from their ledger sum (should always be none). */
export async function listBalanceMismatches(db: Db) {
	const result = await sql<{ customer_id: string; balance: number; ledger: number }>`
		select c.id as customer_id, coalesce(b.balance_kopecks, 0) as balance,
			coalesce(l.ledger, 0) as ledger
		from customers c
		left join customer_balances b on b.customer_id = c.id
		left join (select customer_id, sum(cashback_kopecks) - sum(redeemed_kopecks) as ledger
			from operations group by customer_id) l on l.customer_id = c.id
		where coalesce(b.balance_kopecks, 0) <> coalesce(l.ledger, 0)`.execute(db);
	return result.rows.map((r) => ({ ...r, balance: Number(r.balance), ledger: Number(r.ledger) }));
}

/**
 * A CTE fragment that credits the cashback of rows just inserted (a CTE named `inserted` with
 * customer_id and cashback_kopecks) to their customers' balances, in customer order. Lets
 * payments.sync keep the balance in the same statement as its INSERT (no extra round trip).
 */
export const accrueInserted = sql`accrued as (
	insert into customer_balances (customer_id, balance_kopecks)
	select customer_id, sum(cashback_kopecks) from inserted
	where cashback_kopecks > 0
	group by customer_id order by customer_id
	on conflict (customer_id) do update
		set balance_kopecks = customer_balances.balance_kopecks + excluded.balance_kopecks,
			updated_at = now(), last_activity_at = now()
)`;
