/**
 * The login throttle's rule (issue 7, after OWASP's Authentication Cheat Sheet: "Protect
 * against automated attacks" — lockout by account invites denial of service, by address
 * locks out everyone behind one NAT or proxy). Pure: the counts come from
 * server/repositories/login-attempts.ts, this only decides.
 *
 * Failures are counted over the last hour, per account, per (account, address) and per
 * address. An attempt is checked (the password verified) unless one of these holds:
 *
 * 1. **This account from this address** failed `FREE_FAILURES` times or more since its last
 *    success here: it waits a delay that doubles per failure (1 s, 2 s, 4 s … 15 min) after
 *    the latest one.
 * 2. **This account failed from other addresses** (a distributed guess) and this address is
 *    not a trusted one for it (no success here within `TRUSTED_ADDRESS_DAYS`): the delay
 *    grows with the account's failures since its last success, and after
 *    `MAX_FAILURES_PER_ACCOUNT_HOUR` in the hour the account is closed to untrusted addresses
 *    until the hour has passed. A trusted address only ever meets rule 1.
 * 3. **This address failed `MAX_FAILURES_PER_ADDRESS_HOUR` times** in the hour, on any
 *    accounts (known or made up): from it, only an account with no failure in the hour (or
 *    one this address is trusted for) is still checked — one guess, after which rule 3
 *    refuses that account too until the address is under its limit again.
 *
 * So the right password of an account with no recent failures from elsewhere is never
 * refused: rule 2 needs failures from elsewhere, rule 3 lets a clean account through, and
 * rule 1 only counts this account's own failures from this very address.
 */

/** Failures an hour of one account, from addresses it is not trusted on, that close it to them. */
export const MAX_FAILURES_PER_ACCOUNT_HOUR = 100;
/** Failures an hour from one address (any accounts) after which it checks clean accounts only. */
export const MAX_FAILURES_PER_ADDRESS_HOUR = 300;
/** The window every count covers. */
export const THROTTLE_WINDOW_MS = 60 * 60 * 1000;
/** An address that logged into the account this recently is trusted for it (rules 2 and 3). */
export const TRUSTED_ADDRESS_DAYS = 30;
/** No delay for the first few typos; then it doubles per failure up to the cap. */
export const FREE_FAILURES = 3;
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 15 * 60 * 1000;

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** What the database knows about recent attempts, for one account and one address. */
export interface LoginCounts {
	/** Failures of the account in the window since its last success, from any address. */
	accountStreak: number;
	/** The newest failure of the account in the window. */
	accountLastFailure: Date | null;
	/** Failures of the account in the window from other addresses than this one. */
	accountFailuresElsewhere: number;
	/** Failures of the account in the window, all addresses. */
	accountFailures: number;
	/** The `MAX_FAILURES_PER_ACCOUNT_HOUR`-th newest failure of the account (null: fewer). */
	accountCapSince: Date | null;
	/** Failures of the account from this address since its last success from here. */
	pairStreak: number;
	/** The newest failure of the account from this address. */
	pairLastFailure: Date | null;
	/** Failures from this address in the window, any account. */
	addressFailures: number;
	/** The `MAX_FAILURES_PER_ADDRESS_HOUR`-th newest failure of this address (null: fewer). */
	addressCapSince: Date | null;
	/** The account logged in from this address within `TRUSTED_ADDRESS_DAYS`. */
	trustedAddress: boolean;
}

/** Delay owed after `failures` consecutive failures: 0, 0, 0, 1 s, 2 s, 4 s … 15 min. */
export function delayAfterFailures(failures: number): number {
	if (failures < FREE_FAILURES) return 0;
	return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failures - FREE_FAILURES));
}

function refusedUntil(until: number, now: Date): ThrottleVerdict | null {
	const waitMs = until - now.getTime();
	return waitMs > 0 ? { allowed: false, retryAfterSeconds: Math.ceil(waitMs / 1000) } : null;
}

function backoff(streak: number, lastFailure: Date | null, now: Date): ThrottleVerdict | null {
	const delay = delayAfterFailures(streak);
	if (delay === 0 || !lastFailure) return null;
	return refusedUntil(lastFailure.getTime() + delay, now);
}

/** Whether an attempt may be checked at all; the rule is in this module's comment. */
export function decideLogin(counts: LoginCounts, now: Date): ThrottleVerdict {
	const own = backoff(counts.pairStreak, counts.pairLastFailure, now);
	if (own) return own;

	if (!counts.trustedAddress && counts.accountFailuresElsewhere > 0) {
		if (counts.accountCapSince) {
			const capped = refusedUntil(counts.accountCapSince.getTime() + THROTTLE_WINDOW_MS, now);
			if (capped) return capped;
		}
		const distributed = backoff(counts.accountStreak, counts.accountLastFailure, now);
		if (distributed) return distributed;
	}

	if (counts.addressCapSince && !counts.trustedAddress && counts.accountFailures > 0) {
		const addressFree = counts.addressCapSince.getTime() + THROTTLE_WINDOW_MS;
		const accountClean = (counts.accountLastFailure?.getTime() ?? 0) + THROTTLE_WINDOW_MS;
		const blocked = refusedUntil(Math.min(addressFree, accountClean), now);
		if (blocked) return blocked;
	}
	return { allowed: true };
}
