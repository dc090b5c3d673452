import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * A terminal's own operations since `hours` ago, newest first (at most `limit`), with who
 * took them and whether the counter may still refund them. Nothing of other terminals.
 */
export async function listTerminalOperations(
	db: Db,
	input: { companyId: number; deviceId: string; hours: number; limit: number }
) {
	const rows = await db
		.selectFrom('operations as o')
		.innerJoin('customers as c', 'c.id', 'o.customer_id')
		.leftJoin('cashiers as k', 'k.id', 'o.cashier_id')
		.leftJoinLateral(
			(eb) =>
				eb
					.selectFrom('operations as r')
					.select([
						sql<string | null>`max(r.id::text)`.as('refundId'),
						sql<number>`coalesce(-sum(r.amount_kopecks), 0)::int8`.as('refundedKopecks')
					])
					.whereRef('r.reverses_id', '=', 'o.id')
					.as('r'),
			(join) => join.onTrue()
		)
		.leftJoin('operation_holds as h', 'h.operation_id', 'o.id')
		.select([
			'o.id',
			'o.kind',
			'h.status as holdStatus',
			'o.customer_id as customerId',
			'c.name as customerName',
			'o.amount_kopecks as amountKopecks',
			'o.cashback_kopecks as cashbackKopecks',
			'o.occurred_at as occurredAt',
			'o.shift_id as shiftId',
			'k.name as cashierName',
			'r.refundId',
			'r.refundedKopecks',
			sql<boolean>`(o.kind = 'payment' and r."refundedKopecks" < o.amount_kopecks)`.as('refundable')
		])
		.where('o.company_id', '=', input.companyId)
		.where('o.device_id', '=', input.deviceId)
		.where(sql<boolean>`o.occurred_at > now() - make_interval(hours => ${input.hours})`)
		.orderBy('o.occurred_at', 'desc')
		.orderBy('o.id', 'desc')
		.limit(input.limit)
		.execute();
	return rows.map((row) => ({
		...row,
		refundedKopecks: Number(row.refundedKopecks ?? 0),
		occurredAt: new Date(row.occurredAt)
	}));
}
