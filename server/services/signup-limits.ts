import type { Kysely } from 'kysely';
import { getConfig } from '../config';
import type { Database } from '../db/types';
import { takeRateSlot, type RateVerdict } from './rate-limit';

const HOUR_MS = 60 * 60 * 1000;

export type SignupKind = 'customer_signup' | 'company_registration';

/**
 * Takes one of the address's sign-ups (customer /signup) or self-registrations (company
 * /register) of the hour: KOPEK_SIGNUPS_PER_HOUR / KOPEK_REGISTRATIONS_PER_HOUR. Taken before
 * the database is asked whether the phone or e-mail is in use, so that every answer — a new
 * account or «занят» — spends one: probing who has an account is held to the same pace as
 * signing up (issue 7: 40 probes in 0.7 s). Input refused by validation spends nothing; it
 * tells nobody anything.
 */
export function takeSignupSlot(
	db: Kysely<Database>,
	kind: SignupKind,
	address: string,
	now = new Date(),
	config = getConfig()
): Promise<RateVerdict> {
	const max =
		kind === 'customer_signup'
			? config.KOPEK_SIGNUPS_PER_HOUR
			: config.KOPEK_REGISTRATIONS_PER_HOUR;
	return takeRateSlot(db, kind, address, [{ windowMs: HOUR_MS, max }], now);
}
