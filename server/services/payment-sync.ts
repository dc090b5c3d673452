import type { Kysely } from 'kysely';
import type { Database, HoldReason } from '../db/types';
import {
	getOperationsByIds,
	insertPayments,
	type StoredOperationRow
} from '../repositories/operations';
import { openSyncBatch } from '../repositories/sync-batch';
import { chargeUnknownCustomers, LookupThrottled } from './customer-probes';
import { GroupReview, velocityProbes } from './review-rules';
import { webhookEventsCommitted } from './webhook-signal';
import {
	prepare,
	price,
	unknownCustomers,
	type GroupRow,
	type RejectReason,
	type SyncCall
} from './sync-pricing';

export {
	FUTURE_TOLERANCE_MS,
	MAX_AGE_MS,
	type IncomingOperation,
	type RejectReason,
	type SyncCall
} from './sync-pricing';

/** Largest batch a device may send in one call. */
export const MAX_SYNC_BATCH = 200;

/**
 * The authoritative operation, as the server stored it: what the device cannot know by itself
 * (the rate in force then, the cashback, when it was recorded) and the amount it is about.
 * The device already has the ID, customer ID and time it sent. No customer name (SPEC C16):
 * the counter names the customer from its own lookup, or from the company's own list.
 */
export interface StoredOperation {
	amountKopecks: number;
	rateBp: number;
	cashbackKopecks: number;
	/** ISO 8601 (UTC): when the server first stored it. */
	recordedAt: string;
	/**
	 * Set when its cashback is on hold for review (services/review-rules.ts): the payment is
	 * stored, `cashbackKopecks` is 0 and this cashback waits for a person's decision.
	 */
	held?: { reason: HoldReason; cashbackKopecks: number };
}

/** One answer per operation, in the order sent. */
export type SyncOutcome =
	| { id: string; outcome: 'accepted' | 'duplicate'; operation: StoredOperation }
	| { id: string; outcome: 'conflict' }
	| { id: string; outcome: 'rejected'; reason: RejectReason };

function toStored(row: StoredOperationRow): StoredOperation {
	return {
		amountKopecks: row.amount_kopecks,
		rateBp: row.rate_bp,
		cashbackKopecks: row.cashback_kopecks,
		recordedAt: row.recorded_at.toISOString(),
		...(row.hold_reason
			? { held: { reason: row.hold_reason, cashbackKopecks: Number(row.held_kopecks) } }
			: {})
	};
}

/**
 * Stores a device's batch exactly once per operation ID and answers one outcome per
 * operation, in order: a group of one (syncPaymentGroup).
 */
export async function syncPayments(db: Kysely<Database>, call: SyncCall): Promise<SyncOutcome[]> {
	const [outcomes] = await syncPaymentGroup(db, [call]);
	return outcomes!;
}

/**
 * syncPaymentGroupAnswers, for callers that take the group as a whole: throws the first
 * call's LookupThrottled, if any call got one.
 */
export async function syncPaymentGroup(
	db: Kysely<Database>,
	calls: readonly SyncCall[]
): Promise<SyncOutcome[][]> {
	const answers = await syncPaymentGroupAnswers(db, calls);
	const refused = answers.find((answer) => answer instanceof LookupThrottled);
	if (refused) throw refused;
	return answers as SyncOutcome[][];
}

/**
 * Stores a group of devices' batches (one call, or several that arrived together:
 * services/sync-coalescer.ts) exactly once per operation ID and answers, per call, one outcome
 * per operation, in order: exactly what each call would get alone. Set-based, in one
 * transaction: one statement reads the companies, devices, customers, cashiers and rates
 * (openSyncBatch), one multi-row INSERT … ON CONFLICT (id) DO NOTHING with the balances and day
 * summaries (sent with the COMMIT), then, after it, one read-back of the IDs that were not
 * inserted now, when there are any (they existed already: a duplicate when the content hash
 * matches, else a conflict that reveals nothing about the stored row). An ID that already
 * exists is answered as such even when the operation would now be refused (company no longer
 * active, too old): a retry must get its original answer.
 */
export async function syncPaymentGroupAnswers(
	db: Kysely<Database>,
	calls: readonly SyncCall[]
): Promise<(SyncOutcome[] | LookupThrottled)[]> {
	const prepared = calls.map(prepare);
	const now = new Date(Math.max(...prepared.map((p) => p.now.getTime())));
	const batch = await db.transaction().execute(async (trx) => {
		const context = await openSyncBatch(trx, {
			// Operations refused without a lookup are not looked up at all.
			calls: prepared.map(({ call, deviceId, ops, reasons }) => {
				const checkable = ops.filter((_, i) => !reasons.has(i));
				return {
					companyId: call.companyId,
					deviceId,
					customerIds: checkable.map((op) => op.customerId),
					times: checkable.map((op) => op.occurredAt),
					cashierIds: ops.flatMap((op) => (op.cashierId ? [op.cashierId] : []))
				};
			}),
			probes: velocityProbes(prepared.map((p) => p.reviewed)),
			groupIds: prepared.flatMap((p) => p.ops.map((op) => op.id)),
			now
		});
		const rows: GroupRow[] = [];
		const seen = new Set<string>();
		let review = new GroupReview(context);
		prepared.forEach((call, index) => price(call, index, context, rows, seen, review));
		// Unknown customers cost lookup slots (SPEC C16); a call refused for them stores nothing,
		// and the others are priced again without it (its IDs may be another call's to insert, and
		// its payments must not count towards the others' review rules).
		const throttled = await chargeUnknownCustomers(trx, prepared.map(unknownCustomers), now);
		if (throttled.some(Boolean)) {
			rows.length = 0;
			seen.clear();
			review = new GroupReview(context);
			prepared.forEach((call, i) => throttled[i] || price(call, i, context, rows, seen, review));
		}
		// The last statement: it commits (nothing of the group runs in the transaction after it).
		const stored = await insertPayments(trx, rows, { endsTransaction: true });
		return {
			inserted: new Set(stored.ids),
			webhookEvents: stored.webhookEvents,
			rows,
			throttled,
			recordedNow: context.transactionTime.toISOString()
		};
	});
	const { inserted, rows, throttled, recordedNow } = batch;
	// Committed: this process's webhook worker sends them now rather than at its next poll.
	if (batch.webhookEvents > 0) webhookEventsCommitted();
	const rowById = new Map(rows.map((row) => [row.id, row]));

	// Everything not inserted now may exist already, whatever else is wrong with it. Read after
	// the commit: a row our INSERT skipped was committed before it (ON CONFLICT waits for a
	// concurrent inserter to finish), so it is visible now; stored operations never change.
	const existing = await getOperationsByIds(
		db,
		prepared.flatMap(({ ops }, index) =>
			throttled[index] ? [] : ops.filter((op) => !inserted.has(op.id)).map((op) => op.id)
		)
	);
	const existingById = new Map(existing.map((row) => [row.id, row]));

	// The first sender of an ID inserted now gets `accepted`, any repeat in the group `duplicate`.
	// A call sees only what the calls before it in the group inserted, as if they had run one
	// after another: to an earlier call, a row a later one inserted did not exist yet.
	const claimed = new Set<string>();
	const answers = prepared.map(({ call, ops, reasons }, index) =>
		(throttled[index] ? [] : ops).map((op, i): SyncOutcome => {
			const row = inserted.has(op.id) ? rowById.get(op.id) : undefined;
			if (row && row.call <= index) {
				if (row.contentHash !== op.hash) return { id: op.sentId, outcome: 'conflict' };
				const outcome = claimed.has(op.id) ? 'duplicate' : 'accepted';
				claimed.add(op.id);
				return {
					id: op.sentId,
					outcome,
					operation: {
						amountKopecks: op.amountKopecks,
						rateBp: row.rateBp,
						cashbackKopecks: row.cashbackKopecks,
						recordedAt: recordedNow,
						...(row.holdReason
							? { held: { reason: row.holdReason, cashbackKopecks: row.heldKopecks ?? 0 } }
							: {})
					}
				};
			}
			const stored = existingById.get(op.id);
			if (stored) {
				const sameContent = stored.company_id === call.companyId && stored.content_hash === op.hash;
				return sameContent
					? { id: op.sentId, outcome: 'duplicate', operation: toStored(stored) }
					: { id: op.sentId, outcome: 'conflict' };
			}
			const reason = reasons.get(i);
			if (reason) return { id: op.sentId, outcome: 'rejected', reason };
			// Reachable only if a row vanished between INSERT and read-back: a broken invariant.
			throw new Error(`sync: no outcome for operation ${op.id}`);
		})
	);
	// A call the lookup limit refused gets that refusal instead (it stored nothing).
	return answers.map((answer, index) => throttled[index] ?? answer);
}
