import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/*
 * Pending cashback (migration 0030, issue 22): credited to the ledger and the balance row, but
 * not spendable before its available_at — the later of the payment's occurredAt and its
 * arrival at the server, plus the hold period in force when it arrived. Availability is read
 * against the transaction's now() (repositories/balances.ts), so there is no release job.
 */

/**
 * A CTE fragment for payments.sync's INSERT (after `inserted`): the cashback of the rows just
 * inserted becomes pending when a hold is in force. When the hold is 0 it inserts nothing.
 */
export const pendInserted = sql`pended as (
	insert into pending_cashback (operation_id, payment_id, customer_id, company_id, kopecks,
		available_at, operation_occurred_at)
	select ins.id, ins.id, ins.customer_id, ins.company_id, ins.cashback_kopecks,
		greatest(ins.occurred_at, now()) + make_interval(days => h.hold_days), ins.occurred_at
	from inserted ins
	cross join (select hold_days from program_rules where effective_from <= now()
		order by effective_from desc, id desc limit 1) h
	where ins.cashback_kopecks > 0 and h.hold_days > 0
)`;

/**
 * Makes a ledger row's cashback pending when a hold is in force: until the later of `basis`
 * (the payment's occurredAt) and the payment's arrival (`arrivedAt`, now() when absent), plus
 * the hold days. Returns the kopecks made pending (0: spendable at once).
 */
export async function addPending(
	trx: Transaction<Database>,
	input: {
		operationId: string;
		paymentId: string;
		customerId: string;
		companyId: number;
		kopecks: number;
		occurredAt: Date;
		arrivedAt?: Date;
	}
): Promise<number> {
	if (input.kopecks <= 0) return 0;
	const arrived = input.arrivedAt ? sql`${input.arrivedAt}::timestamptz` : sql`now()`;
	const result = await sql<{ kopecks: number }>`
		insert into pending_cashback (operation_id, payment_id, customer_id, company_id, kopecks,
			available_at, operation_occurred_at)
		select ${input.operationId}::uuid, ${input.paymentId}::uuid, ${input.customerId},
			${input.companyId}::integer, ${input.kopecks}::bigint, a.at,
			-- The ledger row written before in this transaction (a payment, or a release: its own time).
			(select occurred_at from operations where id = ${input.operationId}::uuid)
		from (select greatest(${input.occurredAt}::timestamptz, ${arrived})
			+ make_interval(days => h.hold_days) as at
			from (select hold_days from program_rules where effective_from <= now()
				order by effective_from desc, id desc limit 1) h where h.hold_days > 0) a
		where a.at > now()
		returning kopecks`.execute(trx);
	return Number(result.rows[0]?.kopecks ?? 0);
}

/**
 * What of a payment's cashback is still pending now (its own and a reviewed release's), with
 * those rows locked until the transaction ends: a refund reads it, then cancels.
 */
export async function pendingOfPayment(
	trx: Transaction<Database>,
	paymentId: string
): Promise<number> {
	const rows = await trx
		.selectFrom('pending_cashback')
		.select(['kopecks', 'cancelled_kopecks'])
		.where('payment_id', '=', paymentId)
		.where('available_at', '>', sql<Date>`now()`)
		.forUpdate()
		.execute();
	return rows.reduce((sum, r) => sum + Number(r.kopecks) - Number(r.cancelled_kopecks), 0);
}

/**
 * Cancels up to `refundedCashbackKopecks` of a payment's still-pending cashback (a refund,
 * full or a partial share: the caller passes the cashback its refund takes back). Returns what
 * was cancelled: that part leaves the balance without touching the available balance. Each
 * cancellation is kept with the refund that made it (0033: a closed statement's pending
 * figure is checked against them).
 */
export async function cancelPending(
	trx: Transaction<Database>,
	paymentId: string,
	refundedCashbackKopecks: number,
	refundId: string
): Promise<number> {
	let left = refundedCashbackKopecks;
	const rows = await trx
		.selectFrom('pending_cashback')
		.select(['operation_id', 'kopecks', 'cancelled_kopecks'])
		.where('payment_id', '=', paymentId)
		.where('available_at', '>', sql<Date>`now()`)
		.orderBy('operation_id')
		.forUpdate()
		.execute();
	let cancelled = 0;
	for (const row of rows) {
		if (left <= 0) break;
		const take = Math.min(left, Number(row.kopecks) - Number(row.cancelled_kopecks));
		if (take <= 0) continue;
		await trx
			.updateTable('pending_cashback')
			.set({ cancelled_kopecks: sql<number>`cancelled_kopecks + ${take}` })
			.where('operation_id', '=', row.operation_id)
			.execute();
		await trx
			.insertInto('pending_cancellations')
			.values({ operation_id: row.operation_id, refund_id: refundId, kopecks: take })
			.execute();
		left -= take;
		cancelled += take;
	}
	return cancelled;
}

/** The customer's pending cashback now, by the day it becomes available (earliest first). */
export async function listPending(db: Db, customerId: string) {
	const rows = await db
		.selectFrom('pending_cashback')
		.select([
			'available_at as availableAt',
			sql<number>`kopecks - cancelled_kopecks`.as('kopecks'),
			'company_id as companyId'
		])
		.where('customer_id', '=', customerId)
		.where('available_at', '>', sql<Date>`now()`)
		.where(sql<boolean>`kopecks > cancelled_kopecks`)
		.orderBy('available_at')
		.execute();
	return rows.map((r) => ({
		availableAt: new Date(r.availableAt),
		kopecks: Number(r.kopecks),
		companyId: r.companyId
	}));
}

/** The customer's cashback held for review (0012), waiting for a decision: pending too. */
export async function sumHeldForReview(db: Db, customerId: string): Promise<number> {
	const row = await db
		.selectFrom('operation_holds')
		.select(sql<number>`coalesce(sum(held_kopecks), 0)`.as('n'))
		.where('customer_id', '=', customerId)
		.where('status', '=', 'held')
		.executeTakeFirstOrThrow();
	return Number(row.n);
}
