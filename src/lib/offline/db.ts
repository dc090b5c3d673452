import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/**
 * The counter's IndexedDB, shared by the pages and the service worker. Writes that matter
 * (the outbox) use `durability: 'strict'`: the browser reports the commit only once it is on
 * disk, so an operation the cashier saw as done survives a crash or a power cut.
 */
export const DB_NAME = 'kopek-counter';
const DB_VERSION = 2;

/** An operation taken at the counter and not yet acknowledged by the server. */
export interface OutboxOperation {
	/** UUID v7 made on the device: the idempotency key; sorting by it sorts by creation. */
	id: string;
	deviceId: string;
	companyId: number;
	customerId: string;
	/** The name known when the payment was taken (server or local cache), if any. */
	customerName: string | null;
	amountKopecks: number;
	/**
	 * ISO 8601, when the payment was taken: the device's clock corrected by the server's
	 * offset as last learned (see `clock.ts`); this is what the server stores.
	 */
	occurredAt: string;
	/** ISO 8601, the device's own clock at that moment (kept for audit; not sent). */
	deviceOccurredAt?: string;
	/** The correction applied (server minus device, ms); null when none was known yet. */
	clockOffsetMs?: number | null;
	/** The time first sent, when the server refused it as in the future and it was retimed. */
	retimedFrom?: string;
	/** The device's own computation; the server's figure replaces it once synced. */
	provisionalCashbackKopecks: number;
	rateBp: number;
	status: 'waiting' | 'rejected' | 'conflict';
	/** For `rejected`: the server's reason code (`unknown_customer`, ...). */
	reason?: string;
	/** How many times it was sent without a final answer. */
	attempts: number;
	/** How many of those sends the server failed on (5xx): three in a row split the batch. */
	serverFailures?: number;
	/** At a paired terminal (SPEC C10): who took it, in which shift. Absent at the admin's counter. */
	cashierId?: string;
	cashierName?: string;
	shiftId?: string;
}

/** An operation the server acknowledged, with its authoritative figures (kept for display). */
export interface SyncedOperation {
	id: string;
	deviceId: string;
	companyId: number;
	customerId: string;
	/** The name the counter knew when it was taken (its lookup or cache); null when typed offline. */
	customerName: string | null;
	amountKopecks: number;
	occurredAt: string;
	/** The device's own clock when it was taken (audit), when known. */
	deviceOccurredAt?: string;
	rateBp: number;
	cashbackKopecks: number;
	recordedAt: string;
	syncedAt: string;
	cashierId?: string;
	cashierName?: string;
	shiftId?: string;
}

/** A customer this company has served: lets step 2 show a name offline. */
export interface CachedCustomer {
	companyId: number;
	id: string;
	name: string;
	cachedAt: string;
}

export interface CounterSchema extends DBSchema {
	outbox: {
		key: string;
		value: OutboxOperation;
		indexes: { byStatus: string; byCompanyStatus: [number, string] };
	};
	synced: { key: string; value: SyncedOperation; indexes: { bySyncedAt: string } };
	customers: { key: [number, string]; value: CachedCustomer };
	meta: { key: string; value: unknown };
}

export type CounterDb = IDBPDatabase<CounterSchema>;

let opening: Promise<CounterDb> | undefined;

/** The database, opened once per realm (page or worker). */
export function counterDb(): Promise<CounterDb> {
	opening ??= openDB<CounterSchema>(DB_NAME, DB_VERSION, {
		upgrade(db, oldVersion, _newVersion, tx) {
			if (oldVersion < 1) {
				const outbox = db.createObjectStore('outbox', { keyPath: 'id' });
				outbox.createIndex('byStatus', 'status');
				const synced = db.createObjectStore('synced', { keyPath: 'id' });
				synced.createIndex('bySyncedAt', 'syncedAt');
				db.createObjectStore('customers', { keyPath: ['companyId', 'id'] });
				db.createObjectStore('meta');
			}
			if (oldVersion < 2) {
				// A company's waiting operations in key (creation) order, counted without reading them.
				tx.objectStore('outbox').createIndex('byCompanyStatus', ['companyId', 'status']);
			}
		},
		// Another tab opened a newer version: let it, this tab reopens on next use.
		blocking() {
			void closeCounterDb();
		}
	}).catch((error: unknown) => {
		opening = undefined;
		throw error;
	});
	return opening;
}

/** Closes the database (tests, version changes); the next use opens it again. */
export async function closeCounterDb(): Promise<void> {
	const current = opening;
	opening = undefined;
	if (current) (await current.catch(() => null))?.close();
}

export async function getMeta<T>(key: string): Promise<T | undefined> {
	return (await (await counterDb()).get('meta', key)) as T | undefined;
}

export async function setMeta(key: string, value: unknown): Promise<void> {
	const db = await counterDb();
	const tx = db.transaction('meta', 'readwrite', { durability: 'strict' });
	await Promise.all([tx.store.put(value, key), tx.done]);
}

export async function deleteMeta(key: string): Promise<void> {
	const db = await counterDb();
	const tx = db.transaction('meta', 'readwrite', { durability: 'strict' });
	await Promise.all([tx.store.delete(key), tx.done]);
}
