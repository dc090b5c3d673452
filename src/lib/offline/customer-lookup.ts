import { trpc } from '../trpc';
import { cacheCustomers, findCachedCustomer } from './identity';

/** How long step 2 waits for the server before falling back to the local cache. */
const LOOKUP_TIMEOUT_MS = 2500;

export type CustomerLookup =
	/** The server (or, offline, the local cache) knows the customer. */
	| { kind: 'found'; name: string; verified: boolean }
	/** The server says there is no such customer. */
	| { kind: 'unknown' }
	/** No answer and not in the cache: the server will check at sync. */
	| { kind: 'unverified' };

/**
 * The customer's name for step 2: from the server when it answers in time, else from the
 * company's recent customers cached on the device, else unverified.
 */
export async function lookUpCustomer(
	companyId: number,
	customerId: string
): Promise<CustomerLookup> {
	if (typeof navigator === 'undefined' || navigator.onLine) {
		try {
			const found = await trpc.customers.lookup.query(
				{ customerId },
				{ signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS) }
			);
			if (!found) return { kind: 'unknown' };
			void cacheCustomers(companyId, [{ id: found.customerId, name: found.name }]).catch(() => {});
			return { kind: 'found', name: found.name, verified: true };
		} catch {
			// Unreachable or slow: the cache decides.
		}
	}
	const cached = await findCachedCustomer(companyId, customerId).catch(() => null);
	return cached ? { kind: 'found', name: cached, verified: false } : { kind: 'unverified' };
}
