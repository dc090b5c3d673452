import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { PinVerifier } from '../../src/lib/domain/pin';
import type { Cashier, Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/** A company's cashiers, by name. */
export async function listCashiers(
	db: Db,
	companyId: number,
	options: { activeOnly?: boolean } = {}
): Promise<Cashier[]> {
	return db
		.selectFrom('cashiers')
		.selectAll()
		.where('company_id', '=', companyId)
		.$if(options.activeOnly === true, (q) => q.where('active', '=', true))
		.orderBy('name')
		.orderBy('id')
		.execute();
}

export async function getCashier(db: Db, companyId: number, cashierId: string) {
	return db
		.selectFrom('cashiers')
		.selectAll()
		.where('company_id', '=', companyId)
		.where('id', '=', cashierId)
		.executeTakeFirst();
}

export async function insertCashier(
	db: Db,
	input: {
		companyId: number;
		name: string;
		pin: PinVerifier;
		active: boolean;
		canRefund: boolean;
		refundPinHash?: string | null;
	}
): Promise<Cashier> {
	return db
		.insertInto('cashiers')
		.values({
			company_id: input.companyId,
			name: input.name,
			pin_salt: input.pin.salt,
			pin_verifier: input.pin.verifier,
			pin_iterations: input.pin.iterations,
			active: input.active,
			can_refund: input.canRefund,
			refund_pin_hash: input.refundPinHash ?? null
		})
		.returningAll()
		.executeTakeFirstOrThrow();
}

/** Changes a cashier of the company; a new PIN only when given. False when there is none. */
export async function updateCashier(
	db: Db,
	input: {
		companyId: number;
		cashierId: string;
		name: string;
		active: boolean;
		canRefund: boolean;
		pin: PinVerifier | null;
		/** A new refund PIN's hash when given; null removes it; undefined keeps it. */
		refundPinHash?: string | null;
	}
): Promise<boolean> {
	const result = await db
		.updateTable('cashiers')
		.set({
			name: input.name,
			active: input.active,
			can_refund: input.canRefund,
			updated_at: sql<Date>`now()`,
			...(input.pin
				? {
						pin_salt: input.pin.salt,
						pin_verifier: input.pin.verifier,
						pin_iterations: input.pin.iterations
					}
				: {}),
			...(input.refundPinHash !== undefined ? { refund_pin_hash: input.refundPinHash } : {})
		})
		.where('company_id', '=', input.companyId)
		.where('id', '=', input.cashierId)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) > 0;
}

/** Which of `ids` are cashiers of the company (active or not): an operation may name them. */
export async function existingCashierIds(
	db: Db,
	companyId: number,
	ids: readonly string[]
): Promise<Set<string>> {
	if (ids.length === 0) return new Set();
	const rows = await db
		.selectFrom('cashiers')
		.select('id')
		.where('company_id', '=', companyId)
		.where('id', 'in', [...new Set(ids)])
		.execute();
	return new Set(rows.map((r) => r.id));
}

/** Failed server-side PIN checks of a cashier since `since`. */
export async function countPinFailures(db: Db, cashierId: string, since: Date): Promise<number> {
	const row = await db
		.selectFrom('cashier_pin_attempts')
		.select(sql<number>`count(*)`.as('n'))
		.where('cashier_id', '=', cashierId)
		.where('succeeded', '=', false)
		.where('attempted_at', '>', since)
		// Only the failures since the cashier's last correct PIN count towards a lock.
		.where(
			sql<boolean>`attempted_at > coalesce((select max(s.attempted_at) from cashier_pin_attempts s
				where s.cashier_id = ${cashierId} and s.succeeded), '-infinity')`
		)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** Locks the cashier's row until the transaction ends: PIN checks of one cashier take turns. */
export async function lockCashier(trx: Transaction<Database>, cashierId: string): Promise<void> {
	await trx.selectFrom('cashiers').select('id').where('id', '=', cashierId).forUpdate().execute();
}

/** Records a server-side PIN check; returns its id (a slot is taken as a failure first). */
export async function recordPinAttempt(
	db: Db,
	input: { cashierId: string; deviceId: string | null; succeeded: boolean; now: Date }
): Promise<number> {
	const row = await db
		.insertInto('cashier_pin_attempts')
		.values({
			cashier_id: input.cashierId,
			device_id: input.deviceId,
			succeeded: input.succeeded,
			attempted_at: input.now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return Number(row.id);
}

/** The PIN of a check taken as a failure turned out right. */
export async function markPinAttemptSucceeded(db: Db, attemptId: number): Promise<void> {
	await db
		.updateTable('cashier_pin_attempts')
		.set({ succeeded: true })
		.where('id', '=', attemptId)
		.execute();
}
