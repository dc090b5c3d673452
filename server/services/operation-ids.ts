import { operationIdReason, type OperationIdBounds } from '../../src/lib/domain/operation-id';
import type { RejectReason } from './payment-sync';

/**
 * Refuses the operations of a sync call whose new ID is not one the server stores
 * (src/lib/domain/operation-id.ts), where nothing else refused them already. A refusal needs no
 * lookup; an ID already stored still gets its original answer (the read-back after the insert
 * answers every operation that was not inserted, refused or not).
 */
export function refuseBadOperationIds(
	ops: readonly { id: string }[],
	now: Date,
	reasons: Map<number, RejectReason>,
	bounds: OperationIdBounds
): void {
	ops.forEach((op, i) => {
		if (reasons.has(i)) return;
		const reason = operationIdReason(op.id, now.getTime(), bounds);
		if (reason) reasons.set(i, reason);
	});
}
