import type { Transaction } from 'kysely';
import type { TerminalPrincipal } from '../auth/terminal';
import type { Database } from '../db/types';
import { existingCashierIds } from '../repositories/cashiers';

/** Who sends a sync batch (SPEC C10): a paired terminal, or the admin's own counter. */
export interface SyncSender {
	terminal: TerminalPrincipal | null;
}

export type AttributionReason = 'device_not_registered' | 'terminal_revoked' | 'unknown_cashier';

/**
 * The refusals that come from who took an operation, by index in the batch:
 * - a terminal sends only as its own device (anything else: `device_not_registered`);
 * - after revocation, `terminal_revoked`: every operation not stored yet when the admin chose
 *   "reject unsent", else those that claim to have happened at or after the revocation;
 * - a terminal's operation names a cashier of the company (`unknown_cashier` when it names
 *   none or another company's); the admin's counter may name none.
 * Operations already stored are answered from the stored row whatever this says.
 */
export async function attributionReasons(
	trx: Transaction<Database>,
	input: {
		companyId: number;
		deviceId: string;
		sender: SyncSender;
		ops: readonly { cashierId: string | null; occurredAt: Date }[];
	}
): Promise<Map<number, AttributionReason>> {
	const named = input.ops.flatMap((op) => (op.cashierId ? [op.cashierId] : []));
	const cashiers = await existingCashierIds(trx, input.companyId, named);
	return attributionFrom({ ...input, hasCashier: (id) => cashiers.has(id) });
}

/** attributionReasons with the company's cashiers already looked up (the sync's opening statement). */
export function attributionFrom(input: {
	deviceId: string;
	sender: SyncSender;
	ops: readonly { cashierId: string | null; occurredAt: Date }[];
	hasCashier(cashierId: string): boolean;
}): Map<number, AttributionReason> {
	const reasons = new Map<number, AttributionReason>();
	const terminal = input.sender.terminal;
	if (terminal && terminal.deviceId !== input.deviceId) {
		input.ops.forEach((_, i) => reasons.set(i, 'device_not_registered'));
		return reasons;
	}
	const revoked = terminal?.revoked ?? null;
	input.ops.forEach((op, i) => {
		if (revoked && (revoked.mode === 'reject_unsent' || op.occurredAt >= revoked.at))
			reasons.set(i, 'terminal_revoked');
		else if (op.cashierId ? !input.hasCashier(op.cashierId) : terminal !== null)
			reasons.set(i, 'unknown_cashier');
	});
	return reasons;
}
