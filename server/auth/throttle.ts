import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/types';

/** Failures an hour after which an account is locked for the rest of the hour. */
export const MAX_FAILURES_PER_ACCOUNT_HOUR = 100;
/** Failures an hour from one IP (many accounts) after which that IP is locked. */
export const MAX_FAILURES_PER_IP_HOUR = 300;
/** No delay for the first few typos; then it doubles per failure up to the cap. */
const FREE_FAILURES = 3;
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 15 * 60 * 1000;

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Delay owed after `failures` consecutive failures: 0, 0, 0, 1 s, 2 s, 4 s … 15 min. */
export function delayAfterFailures(failures: number): number {
	if (failures < FREE_FAILURES) return 0;
	return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failures - FREE_FAILURES));
}

/**
 * Decides whether a login attempt may be checked at all, from the failures kept in Postgres
 * (so the limit holds across restarts and processes): failures of this account since its last
 * success within the hour grow the delay; the hourly caps lock out brute force per account and
 * per IP.
 */
export async function checkLoginThrottle(
	db: Kysely<Database>,
	email: string,
	ip: string,
	now = new Date()
): Promise<ThrottleVerdict> {
	const hourAgo = new Date(now.getTime() - 60 * 60 * 1000);
	const account = await db
		.selectFrom('login_attempts')
		.select([
			sql<number>`count(*) filter (where not succeeded)`.as('failures_hour'),
			sql<number>`count(*) filter (where not succeeded and attempted_at > coalesce((select max(attempted_at) from login_attempts s where s.email = ${email} and s.succeeded), '-infinity'))`.as(
				'streak'
			),
			sql<Date | null>`max(attempted_at) filter (where not succeeded)`.as('last_failure')
		])
		.where('email', '=', email)
		.where('attempted_at', '>', hourAgo)
		.executeTakeFirstOrThrow();
	const byIp = await db
		.selectFrom('login_attempts')
		.select(sql<number>`count(*)`.as('failures'))
		.where('ip', '=', ip)
		.where('succeeded', '=', false)
		.where('attempted_at', '>', hourAgo)
		.executeTakeFirstOrThrow();

	const failuresHour = Number(account.failures_hour);
	if (
		failuresHour >= MAX_FAILURES_PER_ACCOUNT_HOUR ||
		Number(byIp.failures) >= MAX_FAILURES_PER_IP_HOUR
	) {
		const oldest = await db
			.selectFrom('login_attempts')
			.select(sql<Date>`min(attempted_at)`.as('oldest'))
			.where((eb) =>
				failuresHour >= MAX_FAILURES_PER_ACCOUNT_HOUR ? eb('email', '=', email) : eb('ip', '=', ip)
			)
			.where('succeeded', '=', false)
			.where('attempted_at', '>', hourAgo)
			.executeTakeFirstOrThrow();
		const unlockAt = new Date(oldest.oldest).getTime() + 60 * 60 * 1000;
		return {
			allowed: false,
			retryAfterSeconds: Math.max(1, Math.ceil((unlockAt - now.getTime()) / 1000))
		};
	}
	const delay = delayAfterFailures(Number(account.streak));
	if (delay > 0 && account.last_failure) {
		const waitMs = new Date(account.last_failure).getTime() + delay - now.getTime();
		if (waitMs > 0) return { allowed: false, retryAfterSeconds: Math.ceil(waitMs / 1000) };
	}
	return { allowed: true };
}

/** Records the outcome of an attempt that was allowed to be checked. */
export async function recordLoginAttempt(
	db: Kysely<Database>,
	email: string,
	ip: string,
	succeeded: boolean,
	now = new Date()
): Promise<void> {
	await db
		.insertInto('login_attempts')
		.values({ email, ip, succeeded, attempted_at: now })
		.execute();
}
