import type { Campaign } from '../domain/campaign';
import { counterDb, deleteMeta, getMeta, setMeta } from './db';

/** The last `auth.me` of a company user seen online, with the company's current rate. */
export interface CachedIdentity {
	userId: string;
	email: string;
	role: 'operator' | 'partner' | 'company' | 'customer' | 'terminal';
	locale: 'ru' | 'en';
	company: {
		id: number;
		name: string;
		status: string;
		timeZone: string;
		rateBp: number | null;
		/** Live campaigns and the operator's ceiling (issue 22): the offline preview's schedule. */
		campaigns?: Campaign[];
		campaignCapBp?: number;
	};
	/** A paired terminal (SPEC C10): its cashiers with PIN verifiers, for shifts offline. */
	terminal?: TerminalInfo;
	savedAt: string;
}

export interface CashierRecord {
	id: string;
	name: string;
	canRefund: boolean;
	pin: { salt: string; verifier: string; iterations: number };
}

export interface TerminalInfo {
	deviceId: string;
	name: string;
	idleSeconds: number;
	cashiers: CashierRecord[];
	/** Set once the server answered `terminal_revoked`. */
	revoked: boolean;
}

const IDENTITY_KEY = 'identity';

/** The identity the counter renders with when it cannot ask the server. */
export async function getCachedIdentity(): Promise<CachedIdentity | null> {
	return (await getMeta<CachedIdentity>(IDENTITY_KEY)) ?? null;
}

export async function saveIdentity(
	identity: Omit<CachedIdentity, 'savedAt'>
): Promise<CachedIdentity> {
	const saved = { ...identity, savedAt: new Date().toISOString() };
	await setMeta(IDENTITY_KEY, saved);
	return saved;
}

export async function clearIdentity(): Promise<void> {
	await deleteMeta(IDENTITY_KEY);
}

const deviceKey = (companyId: number) => `device:${companyId}`;

export interface DeviceRecord {
	deviceId: string;
	name: string;
}

/** This browser's terminal for a company, once registered. */
export async function getDevice(companyId: number): Promise<DeviceRecord | null> {
	return (await getMeta<DeviceRecord>(deviceKey(companyId))) ?? null;
}

export async function saveDevice(companyId: number, device: DeviceRecord): Promise<void> {
	await setMeta(deviceKey(companyId), device);
}

export async function forgetDevice(companyId: number, deviceId: string): Promise<void> {
	const current = await getDevice(companyId);
	if (current?.deviceId === deviceId) await deleteMeta(deviceKey(companyId));
}

const LAST_SYNC_KEY = 'lastSyncAt';

/** When a drain last ended with nothing left to send, as seen by any loop on this profile. */
export async function getLastSyncAt(): Promise<string | null> {
	return (await getMeta<string>(LAST_SYNC_KEY)) ?? null;
}

export async function setLastSyncAt(at: string): Promise<void> {
	await setMeta(LAST_SYNC_KEY, at);
}

/** Remembers customers this company served, so step 2 can name them offline. */
export async function cacheCustomers(
	companyId: number,
	customers: readonly { id: string; name: string }[]
): Promise<void> {
	if (customers.length === 0) return;
	const db = await counterDb();
	const tx = db.transaction('customers', 'readwrite');
	const cachedAt = new Date().toISOString();
	for (const c of customers) await tx.store.put({ companyId, id: c.id, name: c.name, cachedAt });
	await tx.done;
}

export async function findCachedCustomer(
	companyId: number,
	customerId: string
): Promise<string | null> {
	const hit = await (await counterDb()).get('customers', [companyId, customerId]);
	return hit?.name ?? null;
}
