import { openDB, type DBSchema } from 'idb';
import type { Period } from '$lib/forms/period';
import type { OperationRow, OperationsChartData, PeriodTotals } from './types';

/**
 * The last operations list the page saw, per company and period, in IndexedDB: opened offline,
 * "Клиенты" shows what it last loaded (marked with its time) instead of nothing.
 */
export interface CachedList {
	key: string;
	companyId: number;
	period: Period;
	savedAt: string;
	rows: OperationRow[];
	hasMore: boolean;
	totals: PeriodTotals | null;
	chart: OperationsChartData | null;
}

interface CacheSchema extends DBSchema {
	lists: { key: string; value: CachedList; indexes: { byCompany: [number, string] } };
}

const DB_NAME = 'kopek-operations-cache';
/** A handful of periods per company is plenty; the oldest are dropped. */
const KEEP_PER_COMPANY = 12;

let opening: ReturnType<typeof openDB<CacheSchema>> | undefined;
function cacheDb() {
	opening ??= openDB<CacheSchema>(DB_NAME, 1, {
		upgrade(db) {
			const lists = db.createObjectStore('lists', { keyPath: 'key' });
			lists.createIndex('byCompany', ['companyId', 'savedAt']);
		}
	});
	return opening;
}

export function periodKey(companyId: number, period: Period): string {
	return period.kind === 'custom'
		? `${companyId}|custom|${period.from}|${period.to}`
		: `${companyId}|${period.kind}|${period.anchor ?? 'now'}`;
}

/**
 * Keeps a loaded list (what was on screen) for offline use. Pass plain data
 * (`$state.snapshot`): IndexedDB clones it, and cannot clone Svelte's state proxies.
 */
export async function saveList(entry: Omit<CachedList, 'key' | 'savedAt'>): Promise<void> {
	const db = await cacheDb();
	const value: CachedList = {
		...entry,
		key: periodKey(entry.companyId, entry.period),
		savedAt: new Date().toISOString()
	};
	const tx = db.transaction('lists', 'readwrite');
	await tx.store.put(value);
	const range = IDBKeyRange.bound([entry.companyId, ''], [entry.companyId, '\uffff']);
	const keys = await tx.store.index('byCompany').getAllKeys(range);
	for (const key of keys.slice(0, Math.max(0, keys.length - KEEP_PER_COMPANY))) {
		await tx.store.delete(key);
	}
	await tx.done;
}

/** The cached list of this period, else the most recent one of the company, else null. */
export async function loadList(companyId: number, period: Period): Promise<CachedList | null> {
	const db = await cacheDb();
	const exact = await db.get('lists', periodKey(companyId, period));
	if (exact) return exact;
	const range = IDBKeyRange.bound([companyId, ''], [companyId, '\uffff']);
	const cursor = await db.transaction('lists').store.index('byCompany').openCursor(range, 'prev');
	return cursor?.value ?? null;
}
