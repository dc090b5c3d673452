import type { IDBPTransaction } from 'idb';
import type { CounterSchema } from './db';

/** How long a payment's write may take before the counter refuses the payment. */
export const WRITE_TIMEOUT_MS = 5_000;

/**
 * Why the device refused to store a payment: `quota` (storage full), `unavailable` (the
 * browser gives the site no storage: private mode, storage blocked, IndexedDB broken),
 * `timeout` (no answer in time; the write was aborted, so nothing was stored), `failed`.
 */
export type StorageRefusalKind = 'quota' | 'unavailable' | 'timeout' | 'failed';

export class StorageRefusal extends Error {
	constructor(
		readonly kind: StorageRefusalKind,
		options?: { cause?: unknown }
	) {
		super(`the payment was not stored on the device (${kind})`, options);
		this.name = 'StorageRefusal';
	}
}

function errorNames(...errors: unknown[]): string[] {
	const names: string[] = [];
	for (let e of errors) {
		for (let depth = 0; e && depth < 4; depth++) {
			const name = (e as { name?: unknown }).name;
			if (typeof name === 'string') names.push(name);
			e = (e as { cause?: unknown }).cause;
		}
	}
	return names;
}

/** What an IndexedDB failure means for the cashier. */
export function refusalKindOf(...errors: unknown[]): StorageRefusalKind {
	const names = errorNames(...errors);
	if (names.includes('QuotaExceededError')) return 'quota';
	if (
		names.some((n) =>
			['InvalidStateError', 'SecurityError', 'NotAllowedError', 'UnknownError'].includes(n)
		)
	)
		return 'unavailable';
	return 'failed';
}

type OutboxTx = IDBPTransaction<CounterSchema, ['outbox'], 'readwrite'>;

/**
 * Runs one write and resolves only once its transaction committed. On an error, or when it
 * does not commit within `timeoutMs`, it rejects with a `StorageRefusal` — and only when the
 * write is certain not to have happened: a late transaction is aborted first (an abort that
 * succeeds means it never committed; one that fails means it finished, and its outcome counts).
 */
export async function writeWithin(
	open: () => Promise<OutboxTx>,
	write: (tx: OutboxTx) => Promise<unknown>,
	timeoutMs = WRITE_TIMEOUT_MS
): Promise<void> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	let gaveUp = false;
	const deadline = new Promise<'timeout'>((resolve) => {
		timer = setTimeout(() => resolve('timeout'), timeoutMs);
	});
	let tx: OutboxTx | undefined;
	let written = false;
	const work = (async () => {
		if (typeof indexedDB === 'undefined') throw new StorageRefusal('unavailable');
		const opened = await open();
		// Gave up while the database was opening: nothing may be written any more.
		if (gaveUp) {
			try {
				opened.abort();
			} catch {
				// Nothing was asked of it: it finished empty.
			}
			throw new StorageRefusal('timeout');
		}
		tx = opened;
		await Promise.all([write(opened).then(() => (written = true)), opened.done]);
	})();
	try {
		const first = await Promise.race([work, deadline]);
		if (first !== 'timeout') return;
		gaveUp = true;
		work.catch(() => {});
		const late = tx;
		if (!late) throw new StorageRefusal('timeout');
		try {
			late.abort();
		} catch {
			// Already finished: it committed or failed (`done` says which) — with the write in
			// it only if the write's own request succeeded before.
			await late.done;
			if (written) return;
			throw new StorageRefusal('timeout');
		}
		throw new StorageRefusal('timeout');
	} catch (error) {
		if (error instanceof StorageRefusal) throw error;
		throw new StorageRefusal(refusalKindOf(error, tx?.error), { cause: error });
	} finally {
		clearTimeout(timer);
	}
}

export type PersistenceState = 'granted' | 'denied' | 'unsupported';

/**
 * Asks the browser not to evict the counter's data under storage pressure (the outbox may
 * hold payments no server has yet). Browsers decide by their own rules (an installed app, a
 * bookmark, engagement): the answer is shown to the person.
 */
export async function requestPersistentStorage(
	storage: Pick<StorageManager, 'persist' | 'persisted'> | undefined = globalThis.navigator?.storage
): Promise<PersistenceState> {
	if (!storage?.persist) return 'unsupported';
	try {
		if (await storage.persisted?.()) return 'granted';
		return (await storage.persist()) ? 'granted' : 'denied';
	} catch {
		return 'denied';
	}
}

/** Whether the browser already keeps the counter's data for good (asks nothing). */
export async function persistenceState(
	storage: Pick<StorageManager, 'persisted'> | undefined = globalThis.navigator?.storage
): Promise<PersistenceState> {
	if (!storage?.persisted) return 'unsupported';
	try {
		return (await storage.persisted()) ? 'granted' : 'denied';
	} catch {
		return 'denied';
	}
}
