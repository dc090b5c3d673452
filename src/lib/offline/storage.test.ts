import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeCounterDb, counterDb, DB_NAME } from './db';
import { enqueueOperation, listOutbox, type NewPayment } from './outbox';
import {
	persistenceState,
	refusalKindOf,
	requestPersistentStorage,
	StorageRefusal,
	writeWithin
} from './storage';

const payment: NewPayment = {
	deviceId: '0190a000-0000-7000-8000-000000000001',
	companyId: 1,
	customerId: '123455',
	customerName: 'Иванов Иван',
	amountKopecks: 12_345,
	rateBp: 1000
};

beforeEach(async () => {
	await closeCounterDb();
	await new Promise<void>((resolve) => {
		const request = indexedDB.deleteDatabase(DB_NAME);
		request.onsuccess = () => resolve();
	});
});
afterEach(async () => {
	vi.restoreAllMocks();
	await closeCounterDb();
});

describe('a payment the device cannot store', () => {
	it('is refused as "storage full" on a quota error, and nothing is stored', async () => {
		vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(() => {
			throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
		});
		const error = await enqueueOperation(payment).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(StorageRefusal);
		expect((error as StorageRefusal).kind).toBe('quota');
		vi.restoreAllMocks();
		expect(await listOutbox()).toEqual([]);
	});

	it('is refused when the browser gives no storage (private mode)', async () => {
		vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(() => {
			throw new DOMException('storage is disabled', 'InvalidStateError');
		});
		const error = (await enqueueOperation(payment).catch((e: unknown) => e)) as StorageRefusal;
		expect(error.kind).toBe('unavailable');
	});

	it('is refused when the write does not finish in time, and then it never lands', async () => {
		const db = await counterDb();
		const error = (await writeWithin(
			async () => db.transaction('outbox', 'readwrite'),
			// A write stuck behind something: its request is issued only after the deadline.
			(tx) =>
				new Promise((resolve) =>
					setTimeout(() => {
						try {
							resolve(tx.store.add({ id: 'late' } as never).catch(() => {}));
						} catch {
							resolve(undefined); // the transaction is over: the write cannot land
						}
					}, 80)
				),
			20
		).catch((e: unknown) => e)) as StorageRefusal;
		expect(error).toBeInstanceOf(StorageRefusal);
		expect(error.kind).toBe('timeout');
		await new Promise((r) => setTimeout(r, 150));
		expect(await db.count('outbox')).toBe(0);
	});

	it('resolves normally once the write is durable', async () => {
		const op = await enqueueOperation(payment);
		expect((await listOutbox()).map((o) => o.id)).toEqual([op.id]);
	});

	it('names the cause from the error chain', () => {
		const quota = new DOMException('q', 'QuotaExceededError');
		expect(refusalKindOf(new Error('AbortError', { cause: quota }))).toBe('quota');
		expect(refusalKindOf(new DOMException('x', 'AbortError'), quota)).toBe('quota');
		expect(refusalKindOf(new Error('?'))).toBe('failed');
	});
});

describe('persistent storage', () => {
	it('asks the browser and says what it answered', async () => {
		const granted = { persisted: async () => false, persist: async () => true };
		const denied = { persisted: async () => false, persist: async () => false };
		const broken = {
			persisted: async () => false,
			persist: async () => {
				throw new Error('no');
			}
		};
		expect(await requestPersistentStorage(granted)).toBe('granted');
		expect(await requestPersistentStorage(denied)).toBe('denied');
		expect(await requestPersistentStorage(broken)).toBe('denied');
		expect(await requestPersistentStorage(undefined)).toBe('unsupported');
		expect(await persistenceState({ persisted: async () => true })).toBe('granted');
	});
});
