import { listSynced, type SyncedOperation } from '$lib/offline';
import { todayIn } from '$lib/forms/period';
import type { OperationRow } from './types';

/**
 * The operations this device took and the server acknowledged (the `synced` store, with the
 * server's figures), as rows of «Клиенты»: what the page can show when it has never loaded the
 * period and the server cannot be reached. Only the company's, only within the period's local
 * dates [first, last], newest first; no refund is offered (that needs the server).
 */
export function deviceRows(
	synced: readonly SyncedOperation[],
	input: {
		companyId: number;
		timeZone: string;
		first: string;
		last: string;
		deviceName: string | null;
	}
): OperationRow[] {
	return synced
		.filter((op) => {
			if (op.companyId !== input.companyId) return false;
			const day = todayIn(input.timeZone, new Date(op.occurredAt));
			return day >= input.first && day <= input.last;
		})
		.sort((a, b) => b.occurredAt.localeCompare(a.occurredAt))
		.map((op) => ({
			id: op.id,
			kind: 'payment',
			holdStatus: null,
			heldKopecks: null,
			cashierName: op.cashierName ?? null,
			customerId: op.customerId,
			customerName: op.customerName ?? '—',
			amountKopecks: op.amountKopecks,
			rateBp: op.rateBp,
			cashbackKopecks: op.cashbackKopecks,
			// The campaign part is the server's list's to show (the acknowledgement does not carry it).
			campaignKopecks: 0,
			redeemedKopecks: 0,
			refundedKopecks: 0,
			occurredAt: new Date(op.occurredAt),
			reversesId: null,
			reason: null,
			deviceName: input.deviceName,
			refundId: null,
			refundable: false
		}));
}

/** `deviceRows` over everything the device still keeps. */
export async function loadDeviceRows(input: Parameters<typeof deviceRows>[1]) {
	return deviceRows(await listSynced(Number.MAX_SAFE_INTEGER), input);
}
