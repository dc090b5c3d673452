import type { Kysely } from 'kysely';
import type { Database } from '../db/types';
import { countLoginAttempts, insertLoginAttempt } from '../repositories/login-attempts';
import { decideLogin, type ThrottleVerdict } from './throttle-rule';

export {
	delayAfterFailures,
	MAX_FAILURES_PER_ACCOUNT_HOUR,
	MAX_FAILURES_PER_ADDRESS_HOUR,
	type ThrottleVerdict
} from './throttle-rule';

/**
 * Decides whether a login attempt may be checked at all, from the attempts kept in the
 * database (so the limit holds across restarts and instances). The rule — per account, per
 * (account, address), per address, and why it cannot lock a user out — is in
 * ./throttle-rule.ts.
 */
export async function checkLoginThrottle(
	db: Kysely<Database>,
	email: string,
	ip: string,
	now = new Date()
): Promise<ThrottleVerdict> {
	return decideLogin(await countLoginAttempts(db, email, ip, now), now);
}

/** Records the outcome of an attempt that was allowed to be checked. */
export async function recordLoginAttempt(
	db: Kysely<Database>,
	email: string,
	ip: string,
	succeeded: boolean,
	now = new Date()
): Promise<void> {
	await insertLoginAttempt(db, { email, ip, succeeded, at: now });
}
