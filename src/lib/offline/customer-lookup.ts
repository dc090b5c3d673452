import { trpc } from '../trpc';
import { counterDb } from './db';
import { cacheCustomers } from './identity';
import { retryAfterOf } from './transport';

/** How long step 2 waits for the server before falling back to the local cache. */
const LOOKUP_TIMEOUT_MS = 2500;
/** A name the server gave this long ago is used without asking again (lookups are limited). */
export const LOOKUP_FRESH_MS = 10 * 60_000;
/** An ID the server did not know is not asked about again for this long. */
export const UNKNOWN_FRESH_MS = 60_000;
/** After a TOO_MANY_REQUESTS, the server is not asked for at least this long (or Retry-After). */
const THROTTLE_MIN_MS = 30_000;
const THROTTLE_MAX_MS = 15 * 60_000;

export type CustomerLookup =
	/** The server (or, offline, the local cache) knows the customer. */
	| { kind: 'found'; name: string; verified: boolean }
	/** The server says there is no such customer. */
	| { kind: 'unknown' }
	/** No answer and not in the cache: the server will check at sync. `throttled`: it refused. */
	| { kind: 'unverified'; throttled?: boolean };

/** The server's answers of this tab, by company and ID (unknown IDs too: they count as well). */
const answers = new Map<string, { name: string | null; at: number }>();
let throttledUntil = 0;

/** Forgets this tab's answers and throttling (tests; a person signing out). */
export function forgetLookups(): void {
	answers.clear();
	throttledUntil = 0;
}

function isTooManyRequests(error: unknown): boolean {
	const data = (error as { data?: { code?: string; httpStatus?: number } } | null)?.data;
	return data?.code === 'TOO_MANY_REQUESTS' || data?.httpStatus === 429;
}

type LookupQuery = (customerId: string) => Promise<{ customerId: string; name: string } | null>;

const serverLookup: LookupQuery = (customerId) =>
	trpc.customers.lookup.query({ customerId }, { signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS) });

/**
 * The customer's name for step 2. The server limits lookups per company (60 a minute, 600 a
 * day), so a recent answer is reused: one this tab got, or a name cached on the device from a
 * server answer less than `LOOKUP_FRESH_MS` ago. Else the server when it answers in time,
 * else the company's customers cached on the device, else unverified (the sync checks it).
 * A refusal for too many lookups is remembered (Retry-After) and said to the cashier.
 */
export async function lookUpCustomer(
	companyId: number,
	customerId: string,
	options: { query?: LookupQuery; now?: () => number; online?: boolean } = {}
): Promise<CustomerLookup> {
	const now = options.now ?? Date.now;
	const key = `${companyId}:${customerId}`;
	const known = answers.get(key);
	if (known && now() - known.at < (known.name === null ? UNKNOWN_FRESH_MS : LOOKUP_FRESH_MS)) {
		return known.name === null
			? { kind: 'unknown' }
			: { kind: 'found', name: known.name, verified: true };
	}
	const cached = await counterDb()
		.then((db) => db.get('customers', [companyId, customerId]))
		.catch(() => undefined);
	if (cached && now() - Date.parse(cached.cachedAt) < LOOKUP_FRESH_MS) {
		return { kind: 'found', name: cached.name, verified: true };
	}

	let throttled = now() < throttledUntil;
	const online = options.online ?? (typeof navigator === 'undefined' || navigator.onLine);
	if (online && !throttled) {
		try {
			const found = await (options.query ?? serverLookup)(customerId);
			answers.set(key, { name: found?.name ?? null, at: now() });
			if (!found) return { kind: 'unknown' };
			void cacheCustomers(companyId, [{ id: found.customerId, name: found.name }]).catch(() => {});
			return { kind: 'found', name: found.name, verified: true };
		} catch (error) {
			if (isTooManyRequests(error)) {
				const wait = Math.min(THROTTLE_MAX_MS, Math.max(THROTTLE_MIN_MS, retryAfterOf(error) ?? 0));
				throttledUntil = now() + wait;
				throttled = true;
			}
			// Unreachable, slow or refused: the cache decides.
		}
	}
	if (cached) return { kind: 'found', name: cached.name, verified: false };
	return throttled ? { kind: 'unverified', throttled: true } : { kind: 'unverified' };
}

export type PhoneLookup =
	| { kind: 'found'; customerId: string; name: string }
	/** The server knows no customer with this phone. */
	| { kind: 'unknown' }
	/** No answer: a phone is resolved by the server only, so the cashier asks for the ID. */
	| { kind: 'offline' }
	/** The company's lookups are used up for now (the same limit as for IDs). */
	| { kind: 'throttled' };

type PhoneQuery = (phone: string) => Promise<{ customerId: string; name: string } | null>;

const serverPhoneLookup: PhoneQuery = (phone) =>
	trpc.customers.lookup.query({ phone }, { signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS) });

/**
 * The customer behind a phone number (E.164) for step 1. Only the server can answer (the
 * device keeps no phones), within the same per-company limit as IDs: the throttle a refused
 * ID lookup set holds here too, and a refusal here holds for IDs. A found customer is cached
 * by ID, so step 2 and the sync name them like any other.
 */
export async function lookUpCustomerByPhone(
	companyId: number,
	phone: string,
	options: { query?: PhoneQuery; now?: () => number; online?: boolean } = {}
): Promise<PhoneLookup> {
	const now = options.now ?? Date.now;
	if (now() < throttledUntil) return { kind: 'throttled' };
	const online = options.online ?? (typeof navigator === 'undefined' || navigator.onLine);
	if (!online) return { kind: 'offline' };
	try {
		const found = await (options.query ?? serverPhoneLookup)(phone);
		if (!found) return { kind: 'unknown' };
		answers.set(`${companyId}:${found.customerId}`, { name: found.name, at: now() });
		void cacheCustomers(companyId, [{ id: found.customerId, name: found.name }]).catch(() => {});
		return { kind: 'found', customerId: found.customerId, name: found.name };
	} catch (error) {
		if (!isTooManyRequests(error)) return { kind: 'offline' };
		const wait = Math.min(THROTTLE_MAX_MS, Math.max(THROTTLE_MIN_MS, retryAfterOf(error) ?? 0));
		throttledUntil = now() + wait;
		return { kind: 'throttled' };
	}
}
