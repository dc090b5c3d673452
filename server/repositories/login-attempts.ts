import { sql, type Kysely, type Transaction } from 'kysely';
import {
	MAX_FAILURES_PER_ACCOUNT_HOUR,
	MAX_FAILURES_PER_ADDRESS_HOUR,
	THROTTLE_WINDOW_MS,
	TRUSTED_ADDRESS_DAYS,
	type LoginCounts
} from '../auth/throttle-rule';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

const date = (v: Date | string | null) => (v === null ? null : new Date(v));

/**
 * Everything the login rule (server/auth/throttle-rule.ts) needs about `email` and `ip`, in
 * one statement over the window's attempts of that account or that address.
 */
export async function countLoginAttempts(
	db: Db,
	email: string,
	ip: string,
	now: Date
): Promise<LoginCounts> {
	const since = new Date(now.getTime() - THROTTLE_WINDOW_MS);
	const trustedSince = new Date(now.getTime() - TRUSTED_ADDRESS_DAYS * 24 * 60 * 60 * 1000);
	const accountOffset = MAX_FAILURES_PER_ACCOUNT_HOUR - 1;
	const addressOffset = MAX_FAILURES_PER_ADDRESS_HOUR - 1;
	const result = await sql<{
		account_streak: string;
		account_last_failure: Date | string | null;
		account_elsewhere: string;
		account_failures: string;
		account_cap_since: Date | string | null;
		pair_streak: string;
		pair_last_failure: Date | string | null;
		address_failures: string;
		address_cap_since: Date | string | null;
		trusted: boolean;
	}>`
		with recent as (
			select email, ip, succeeded, attempted_at from login_attempts
			where attempted_at > ${since} and attempted_at <= ${now} and (email = ${email} or ip = ${ip})
		), marks as (
			select
				coalesce(max(attempted_at) filter (where email = ${email} and succeeded), '-infinity') as account_success,
				coalesce(max(attempted_at) filter (where email = ${email} and ip = ${ip} and succeeded), '-infinity') as pair_success
			from recent
		)
		select
			count(*) filter (where r.email = ${email} and not r.succeeded and r.attempted_at > m.account_success) as account_streak,
			max(r.attempted_at) filter (where r.email = ${email} and not r.succeeded) as account_last_failure,
			count(*) filter (where r.email = ${email} and r.ip <> ${ip} and not r.succeeded) as account_elsewhere,
			count(*) filter (where r.email = ${email} and not r.succeeded) as account_failures,
			(select attempted_at from recent where email = ${email} and not succeeded
				order by attempted_at desc offset ${accountOffset} limit 1) as account_cap_since,
			count(*) filter (where r.email = ${email} and r.ip = ${ip} and not r.succeeded and r.attempted_at > m.pair_success) as pair_streak,
			max(r.attempted_at) filter (where r.email = ${email} and r.ip = ${ip} and not r.succeeded) as pair_last_failure,
			count(*) filter (where r.ip = ${ip} and not r.succeeded) as address_failures,
			(select attempted_at from recent where ip = ${ip} and not succeeded
				order by attempted_at desc offset ${addressOffset} limit 1) as address_cap_since,
			exists (select 1 from login_attempts t where t.email = ${email} and t.ip = ${ip} and t.succeeded
				and t.attempted_at > ${trustedSince} and t.attempted_at <= ${now}) as trusted
		from recent r cross join marks m
	`.execute(db);
	const row = result.rows[0]!;
	return {
		accountStreak: Number(row.account_streak),
		accountLastFailure: date(row.account_last_failure),
		accountFailuresElsewhere: Number(row.account_elsewhere),
		accountFailures: Number(row.account_failures),
		accountCapSince: date(row.account_cap_since),
		pairStreak: Number(row.pair_streak),
		pairLastFailure: date(row.pair_last_failure),
		addressFailures: Number(row.address_failures),
		addressCapSince: date(row.address_cap_since),
		trustedAddress: Boolean(row.trusted)
	};
}

/** One checked attempt: its outcome, for whom and from where. */
export async function insertLoginAttempt(
	db: Db,
	attempt: { email: string; ip: string; succeeded: boolean; at: Date }
): Promise<void> {
	await db
		.insertInto('login_attempts')
		.values({
			email: attempt.email,
			ip: attempt.ip,
			succeeded: attempt.succeeded,
			attempted_at: attempt.at
		})
		.execute();
}

/** Forgets the account's failed attempts (after a password reset: the owner proved the mailbox). */
export async function deleteFailedLoginAttempts(db: Db, email: string): Promise<void> {
	await db
		.deleteFrom('login_attempts')
		.where('email', '=', email)
		.where('succeeded', '=', false)
		.execute();
}
