/**
 * Which operation IDs a server stores (issue 18, item 7). An operation's ID is its idempotency
 * key and, being a UUID v7, also its place in time: `operations` is partitioned by year on it
 * (server/db/partitions.ts). So a new ID must be a UUID v7 (not the nil or max UUID, not
 * another version) whose time lies within the bounds an operation's own time must keep: not
 * ahead of the server's clock by more than the allowed skew (an ID years ahead would sit in
 * the default partition and block that year's), not older than an operation may be when it
 * first arrives. The counter makes its IDs by the server's clock as it knows it, like the
 * operation's time, so an honest counter meets these bounds whenever its time does.
 */
import { isUuidv7, uuidv7Timestamp } from './uuid';

export type OperationIdReason = 'bad_operation_id' | 'operation_id_out_of_range';

export interface OperationIdBounds {
	/** How far ahead of `now` the ID's time may be (ms). */
	futureMs: number;
	/** How far behind `now` the ID's time may be (ms). */
	maxAgeMs: number;
}

/** Why a new operation's ID is refused at `now` (Unix ms), or null when it is fine. */
export function operationIdReason(
	id: string,
	now: number,
	bounds: OperationIdBounds
): OperationIdReason | null {
	if (!isUuidv7(id)) return 'bad_operation_id';
	const at = uuidv7Timestamp(id);
	if (at > now + bounds.futureMs || at < now - bounds.maxAgeMs) return 'operation_id_out_of_range';
	return null;
}
