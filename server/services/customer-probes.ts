import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/types';
import { addProbes } from '../repositories/customer-probes';
import { lookupWindows } from './customer-lookup';
import { takeRateSlotsIn, type RateWindow } from './rate-limit';

/*
 * Every door that tells a company whether a customer ID exists spends the company's lookup
 * budget (SPEC C16; customers.lookup, KOPEK_LOOKUPS_PER_MINUTE / _PER_DAY): payments.sync's
 * `unknown_customer`, and the redemption's wrong-customer-or-code answers. The honest path
 * asks nothing it does not know: a sync of known customers takes no slot.
 */

/** A call refused because the company's lookup budget cannot cover the customers it asks about. */
export class LookupThrottled extends Error {
	constructor(readonly retryAfterSeconds: number) {
		super(`customer lookups throttled; retry after ${retryAfterSeconds} s`);
		this.name = 'LookupThrottled';
	}
}

/**
 * Takes `need` of the company's lookup slots inside `trx` (all or none), and tallies the
 * probe for the operator: `unknownIds` unknown customer IDs asked about when the slots were
 * taken, one throttled call when they were not. Returns null or why not.
 */
export async function spendLookups(
	trx: Transaction<Database>,
	input: { companyId: number; need: number; unknownIds: number; now: Date },
	windows: readonly RateWindow[] = lookupWindows()
): Promise<LookupThrottled | null> {
	const verdict = await takeRateSlotsIn(
		trx,
		'customer_lookup',
		String(input.companyId),
		windows,
		input.need,
		input.now
	);
	await addProbes(trx, {
		companyId: input.companyId,
		unknownIds: verdict.ok ? input.unknownIds : 0,
		throttled: verdict.ok ? 0 : 1,
		at: input.now
	});
	return verdict.ok ? null : new LookupThrottled(verdict.retryAfterSeconds);
}

/**
 * payments.sync: each call of a group that has operations for unknown customers takes one
 * lookup slot per distinct unknown ID, inside the group's transaction; a call the budget
 * cannot cover gets LookupThrottled (it then stores nothing and fails as a whole, so neither
 * its accepted nor its rejected answers tell which IDs exist). Companies are charged in
 * ascending ID order (their locks are then taken in one order by every group), each
 * company's calls in group order, as if they had run one after another.
 */
export async function chargeUnknownCustomers(
	trx: Transaction<Database>,
	calls: readonly { companyId: number; unknownIds: ReadonlySet<string> }[],
	now: Date
): Promise<(LookupThrottled | null)[]> {
	const refusals: (LookupThrottled | null)[] = calls.map(() => null);
	const order = calls
		.map((call, index) => ({ ...call, index }))
		.filter((call) => call.unknownIds.size > 0)
		.sort((a, b) => a.companyId - b.companyId || a.index - b.index);
	for (const call of order) {
		const need = call.unknownIds.size;
		refusals[call.index] = await spendLookups(trx, {
			companyId: call.companyId,
			need,
			unknownIds: need,
			now
		});
	}
	return refusals;
}

/** Tallies one call the lookup limit refused, after its own transaction rolled back. */
export function tallyThrottled(db: Kysely<Database>, companyId: number, at: Date): Promise<void> {
	return addProbes(db, { companyId, unknownIds: 0, throttled: 1, at });
}
