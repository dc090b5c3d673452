import { counterDb, type SyncedOperation } from './db';
import type { WireOperation } from './engine';

/*
 * The acknowledged operations the device keeps (the newest few hundred, for display: the
 * server has them all). `applyOutcomes` in outbox.ts writes them.
 */

/** Recently acknowledged operations with the server's figures, newest first. */
export async function listSynced(limit = 50): Promise<SyncedOperation[]> {
	const db = await counterDb();
	const out: SyncedOperation[] = [];
	let cursor = await db.transaction('synced').store.index('bySyncedAt').openCursor(null, 'prev');
	while (cursor && out.length < limit) {
		out.push(cursor.value);
		cursor = await cursor.continue();
	}
	return out;
}

/** One acknowledged operation by ID, if the device still remembers it. */
export async function getSynced(id: string): Promise<SyncedOperation | undefined> {
	return (await counterDb()).get('synced', id);
}

/**
 * The company's most recently acknowledged operation, as it was sent (the engine sends it
 * again to see whether the server still reads well-formed input; see `confirmIsolated`).
 */
export async function lastSynced(companyId: number): Promise<WireOperation | null> {
	const db = await counterDb();
	let cursor = await db.transaction('synced').store.index('bySyncedAt').openCursor(null, 'prev');
	while (cursor) {
		const op = cursor.value;
		if (op.companyId === companyId) {
			const { id, deviceId, customerId, amountKopecks, occurredAt, cashierId, shiftId } = op;
			return { id, deviceId, customerId, amountKopecks, occurredAt, cashierId, shiftId };
		}
		cursor = await cursor.continue();
	}
	return null;
}
