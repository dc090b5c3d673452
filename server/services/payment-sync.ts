import type { Kysely } from 'kysely';
import {
	computeCashback,
	MAX_AMOUNT_KOPECKS,
	MIN_AMOUNT_KOPECKS
} from '../../src/lib/domain/money';
import type { Database } from '../db/types';
import {
	contentHash,
	getOperationsByIds,
	insertPayments,
	type PricedPayment,
	type StoredOperationRow
} from '../repositories/operations';
import { openSyncBatch } from '../repositories/sync-batch';
import { attributionReasons, type SyncSender } from './terminal-sync';

/** Largest batch a device may send in one call. */
export const MAX_SYNC_BATCH = 200;
/** How far ahead of the server's clock an operation may claim to have happened. */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;
/** How old an operation may be when it first reaches the server. */
export const MAX_AGE_MS = 30 * 24 * 3600 * 1000;

export type RejectReason =
	| 'unknown_customer'
	| 'company_inactive'
	| 'device_not_registered'
	| 'amount_out_of_range'
	| 'occurred_in_future'
	| 'too_old'
	| 'terminal_revoked'
	| 'unknown_cashier';

/** An operation as the device sends it (already validated for shape by the router). */
export interface IncomingOperation {
	id: string;
	customerId: string;
	amountKopecks: number;
	/** ISO 8601 with an offset. */
	occurredAt: string;
	/** The cashier and shift that took it at a paired terminal (SPEC C10). */
	cashierId?: string | null;
	shiftId?: string | null;
}

/**
 * The authoritative operation, as the server stored it: what the device cannot know by itself
 * (the customer's name, the rate in force then, the cashback, when it was recorded) and the
 * amount it is about. The device already has the ID, customer ID and time it sent.
 */
export interface StoredOperation {
	customerName: string;
	amountKopecks: number;
	rateBp: number;
	cashbackKopecks: number;
	/** ISO 8601 (UTC): when the server first stored it. */
	recordedAt: string;
}

/** One answer per operation, in the order sent. */
export type SyncOutcome =
	| { id: string; outcome: 'accepted' | 'duplicate'; operation: StoredOperation }
	| { id: string; outcome: 'conflict' }
	| { id: string; outcome: 'rejected'; reason: RejectReason };

function toStored(row: StoredOperationRow): StoredOperation {
	return {
		customerName: row.customer_name,
		amountKopecks: row.amount_kopecks,
		rateBp: row.rate_bp,
		cashbackKopecks: row.cashback_kopecks,
		recordedAt: row.recorded_at.toISOString()
	};
}

/**
 * Stores a device's batch exactly once per operation ID and answers one outcome per
 * operation, in order. Set-based, in one transaction: one statement reads the company,
 * device, customers and rates (openSyncBatch), one multi-row INSERT … ON CONFLICT (id) DO NOTHING with
 * the balances and day summaries (sent with the COMMIT), then, after it, one read-back of the
 * IDs that were not inserted now, when there are any (they existed already: a duplicate when
 * the content hash matches, else a conflict that reveals nothing about the stored row).
 * An ID that already exists is answered as such even when the operation would now be
 * refused (company no longer active, too old): a retry must get its original answer.
 */
export async function syncPayments(
	db: Kysely<Database>,
	input: {
		companyId: number;
		deviceId: string;
		operations: readonly IncomingOperation[];
		createdBy: string | null;
		/** A paired terminal, when it is one that sends (absent: the admin's own counter). */
		sender?: SyncSender;
		now?: Date;
	}
): Promise<SyncOutcome[]> {
	const now = input.now ?? new Date();
	const deviceId = input.deviceId.toLowerCase();
	const ops = input.operations.map((op) => {
		const occurredAt = new Date(op.occurredAt);
		const normalized = {
			id: op.id.toLowerCase(),
			customerId: op.customerId,
			amountKopecks: op.amountKopecks,
			occurredAt,
			cashierId: op.cashierId?.toLowerCase() ?? null,
			shiftId: op.shiftId?.toLowerCase() ?? null
		};
		const hash = contentHash({ companyId: input.companyId, deviceId, ...normalized });
		return { ...normalized, occurredAtIso: occurredAt.toISOString(), sentId: op.id, hash };
	});

	const batch = await db.transaction().execute(async (trx) => {
		// Checks that need no lookup come first: their operations are not looked up at all.
		const reasons = new Map<number, RejectReason>();
		ops.forEach((op, i) => {
			if (op.amountKopecks < MIN_AMOUNT_KOPECKS || op.amountKopecks > MAX_AMOUNT_KOPECKS)
				reasons.set(i, 'amount_out_of_range');
			else if (op.occurredAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
				reasons.set(i, 'occurred_in_future');
			else if (op.occurredAt.getTime() < now.getTime() - MAX_AGE_MS) reasons.set(i, 'too_old');
		});
		const checkable = ops.filter((_, i) => !reasons.has(i));
		const context = await openSyncBatch(trx, {
			companyId: input.companyId,
			deviceId,
			customerIds: checkable.map((op) => op.customerId),
			times: checkable.map((op) => op.occurredAt),
			now
		});
		// A batch-wide refusal outranks the per-operation ones.
		const batchReason: RejectReason | null = !context.deviceId
			? 'device_not_registered'
			: context.companyStatus !== 'active'
				? 'company_inactive'
				: null;
		if (batchReason) ops.forEach((_, i) => reasons.set(i, batchReason));
		const attribution = await attributionReasons(trx, {
			companyId: input.companyId,
			deviceId,
			sender: input.sender ?? { terminal: null },
			ops
		});
		for (const [i, reason] of attribution) if (!reasons.has(i)) reasons.set(i, reason);
		const names = context.customerNames;
		const candidates = ops.map((op, i) => ({ op, i })).filter(({ i }) => !reasons.has(i));

		const rows: PricedPayment[] = [];
		const seen = new Set<string>();
		for (const { op, i } of candidates) {
			if (!names.has(op.customerId)) {
				reasons.set(i, 'unknown_customer');
				continue;
			}
			const rateBp = context.rateAt(op.occurredAt);
			// No contracted rate yet at that moment: the company could not take payments then.
			if (rateBp === null) {
				reasons.set(i, 'company_inactive');
				continue;
			}
			// A repeated ID within the batch: the first one is inserted, the others read back.
			if (seen.has(op.id)) continue;
			seen.add(op.id);
			rows.push({
				id: op.id,
				customerId: op.customerId,
				amountKopecks: op.amountKopecks,
				rateBp,
				cashbackKopecks: computeCashback(op.amountKopecks, rateBp),
				occurredAt: op.occurredAtIso,
				contentHash: op.hash,
				cashierId: op.cashierId,
				shiftId: op.shiftId
			});
		}

		// The last statement: it commits (nothing of the batch runs in the transaction after it).
		const inserted = new Set(
			await insertPayments(
				trx,
				{ companyId: input.companyId, deviceId, createdBy: input.createdBy },
				rows,
				{ endsTransaction: true }
			)
		);
		return { inserted, rows, names, reasons, recordedNow: context.transactionTime.toISOString() };
	});
	const { inserted, rows, names, reasons, recordedNow } = batch;
	const rowById = new Map(rows.map((row) => [row.id, row]));

	// Everything not inserted now may exist already, whatever else is wrong with it. Read after
	// the commit: a row our INSERT skipped was committed before it (ON CONFLICT waits for a
	// concurrent inserter to finish), so it is visible now; stored operations never change.
	const existing = await getOperationsByIds(
		db,
		ops.filter((op) => !inserted.has(op.id)).map((op) => op.id)
	);
	const existingById = new Map(existing.map((row) => [row.id, row]));

	const claimed = new Set<string>();
	return ops.map((op, i): SyncOutcome => {
		const row = inserted.has(op.id) ? rowById.get(op.id) : undefined;
		if (row) {
			if (row.contentHash !== op.hash) return { id: op.sentId, outcome: 'conflict' };
			// The first sender of an ID inserted now gets `accepted`, a repeat in the batch `duplicate`.
			const outcome = claimed.has(op.id) ? 'duplicate' : 'accepted';
			claimed.add(op.id);
			return {
				id: op.sentId,
				outcome,
				operation: {
					customerName: names.get(op.customerId) ?? '',
					amountKopecks: op.amountKopecks,
					rateBp: row.rateBp,
					cashbackKopecks: row.cashbackKopecks,
					recordedAt: recordedNow
				}
			};
		}
		const stored = existingById.get(op.id);
		if (stored) {
			const sameContent = stored.company_id === input.companyId && stored.content_hash === op.hash;
			return sameContent
				? { id: op.sentId, outcome: 'duplicate', operation: toStored(stored) }
				: { id: op.sentId, outcome: 'conflict' };
		}
		const reason = reasons.get(i);
		if (reason) return { id: op.sentId, outcome: 'rejected', reason };
		// Reachable only if a row vanished between INSERT and read-back: a broken invariant.
		throw new Error(`sync: no outcome for operation ${op.id}`);
	});
}
