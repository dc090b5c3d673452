import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, HoldReason, HoldStatus } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/*
 * Held cashback (migration 0012): one row per payment whose cashback waits for review. The
 * payment itself is stored with cashback 0; services/review-queue.ts decides.
 */

/** A hold, locked until the transaction ends (a decision and a refund take turns on it). */
export function lockHold(
	trx: Transaction<Database>,
	operationId: string,
	companyId: number | null
) {
	return trx
		.selectFrom('operation_holds')
		.selectAll()
		.where('operation_id', '=', operationId)
		.$if(companyId !== null, (q) => q.where('company_id', '=', companyId!))
		.forUpdate()
		.executeTakeFirst();
}

/** Records the decision on a hold still `held`; false when another decided first. */
export async function decideHold(
	trx: Transaction<Database>,
	input: {
		operationId: string;
		status: Exclude<HoldStatus, 'held'>;
		userId: string | null;
		releaseId?: string;
	}
): Promise<boolean> {
	const row = await trx
		.updateTable('operation_holds')
		.set({
			status: input.status,
			decided_at: sql<Date>`now()`,
			decided_by: input.userId,
			release_id: input.releaseId ?? null
		})
		.where('operation_id', '=', input.operationId)
		.where('status', '=', 'held')
		.returning('operation_id')
		.executeTakeFirst();
	return row !== undefined;
}

/** One row of «Подозрительные операции». */
export interface HoldListRow {
	operationId: string;
	companyId: number;
	companyName: string;
	customerId: string;
	customerName: string;
	amountKopecks: number;
	heldKopecks: number;
	reason: HoldReason;
	status: HoldStatus;
	occurredAt: Date;
	recordedAt: Date;
	heldAt: Date;
	deviceName: string | null;
	cashierName: string | null;
	/** The device's last contact and its revocation (beside a revoked terminal's operations). */
	deviceLastSyncAt: Date | null;
	deviceRevokedAt: Date | null;
	decidedAt: Date | null;
	decidedBy: string | null;
}

/**
 * Holds, newest first: those still waiting (`open`) or all of them, of one company or of every
 * company (the operator). At most `limit` rows.
 */
export async function listHolds(
	db: Db,
	input: { companyId: number | null; open: boolean; limit: number }
): Promise<HoldListRow[]> {
	const rows = await db
		.selectFrom('operation_holds as h')
		.innerJoin('operations as o', 'o.id', 'h.operation_id')
		.innerJoin('companies as co', 'co.id', 'h.company_id')
		.innerJoin('customers as cu', 'cu.id', 'h.customer_id')
		.leftJoin('devices as d', 'd.id', 'o.device_id')
		.leftJoin('cashiers as ca', 'ca.id', 'o.cashier_id')
		.leftJoin('users as u', 'u.id', 'h.decided_by')
		.select([
			'h.operation_id as operationId',
			'h.company_id as companyId',
			'co.name as companyName',
			'h.customer_id as customerId',
			'cu.name as customerName',
			'o.amount_kopecks as amountKopecks',
			'h.held_kopecks as heldKopecks',
			'h.reason',
			'h.status',
			'o.occurred_at as occurredAt',
			'o.recorded_at as recordedAt',
			'h.held_at as heldAt',
			'd.name as deviceName',
			'ca.name as cashierName',
			'd.last_sync_at as deviceLastSyncAt',
			'd.revoked_at as deviceRevokedAt',
			'h.decided_at as decidedAt',
			'u.email as decidedBy'
		])
		.$if(input.companyId !== null, (q) => q.where('h.company_id', '=', input.companyId!))
		.$if(input.open, (q) => q.where('h.status', '=', 'held'))
		.orderBy('h.held_at', 'desc')
		.orderBy('h.operation_id', 'desc')
		.limit(input.limit)
		.execute();
	return rows.map((r) => ({
		...r,
		amountKopecks: Number(r.amountKopecks),
		heldKopecks: Number(r.heldKopecks)
	}));
}

/** How many holds wait for a decision (of one company, or all). */
export async function countOpenHolds(db: Db, companyId: number | null): Promise<number> {
	const row = await db
		.selectFrom('operation_holds')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('status', '=', 'held')
		.$if(companyId !== null, (q) => q.where('company_id', '=', companyId!))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/**
 * What a refund of `operationId` must take back besides its own cashback: the cashback
 * released on review. A hold still waiting is cancelled by the refund (after the refund row
 * is in: the caller calls `afterRefund`). Locks the hold, so a decision waits for the refund.
 */
export async function holdForRefund(trx: Transaction<Database>, operationId: string) {
	const hold = await lockHold(trx, operationId, null);
	return {
		releasedKopecks: hold?.status === 'released' ? Number(hold.held_kopecks) : 0,
		/** Still waiting for a person's decision. */
		waiting: hold?.status === 'held',
		afterRefund: async (userId: string | null) => {
			if (hold?.status === 'held')
				await decideHold(trx, { operationId, status: 'cancelled', userId });
		}
	};
}
