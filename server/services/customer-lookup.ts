import type { Kysely } from 'kysely';
import { isValidCustomerId } from '../../src/lib/domain/customer-id';
import { getConfig } from '../config';
import type { Database } from '../db/types';
import { getStatus } from '../repositories/companies';
import { addProbes } from '../repositories/customer-probes';
import { getCustomerNames } from '../repositories/customers';
import { takeRateSlot, type RateWindow } from './rate-limit';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** Lookups a company may make: per minute and per 24 hours, from the environment. */
export function lookupWindows(config = getConfig()): RateWindow[] {
	return [
		{ windowMs: MINUTE_MS, max: config.KOPEK_LOOKUPS_PER_MINUTE },
		{ windowMs: DAY_MS, max: config.KOPEK_LOOKUPS_PER_DAY }
	];
}

export type CompanyLookupOutcome =
	| { ok: true; customer: { customerId: string; name: string } | null }
	| { ok: false; error: 'company_inactive' }
	| { ok: false; error: 'throttled'; retryAfterSeconds: number };

/**
 * Step 2 of a payment: the name behind a customer ID, for an active company only, and within
 * its lookup limits. Every lookup counts — one of an unknown or malformed ID too — so a
 * company cannot walk the ID space faster than the limit (issue 7: all 90,000 IDs in minutes).
 */
export async function lookUpCustomerForCompany(
	db: Kysely<Database>,
	companyId: number,
	customerId: string,
	options: { now?: Date; windows?: readonly RateWindow[] } = {}
): Promise<CompanyLookupOutcome> {
	const status = await getStatus(db, companyId);
	if (status?.status !== 'active') return { ok: false, error: 'company_inactive' };
	const slot = await takeRateSlot(
		db,
		'customer_lookup',
		String(companyId),
		options.windows ?? lookupWindows(),
		options.now
	);
	const at = options.now ?? new Date();
	if (!slot.ok) {
		await addProbes(db, { companyId, unknownIds: 0, throttled: 1, at });
		return { ok: false, error: 'throttled', retryAfterSeconds: slot.retryAfterSeconds };
	}
	const name = isValidCustomerId(customerId)
		? (await getCustomerNames(db, [customerId])).get(customerId)
		: undefined;
	if (name === undefined) await addProbes(db, { companyId, unknownIds: 1, throttled: 0, at });
	return { ok: true, customer: name === undefined ? null : { customerId, name } };
}
