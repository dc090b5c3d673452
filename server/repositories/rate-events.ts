import { sql, type Transaction } from 'kysely';
import type { Database, RateScope } from '../db/types';

/**
 * Counted actions for the sliding-window limits (server/services/rate-limit.ts). Every
 * function takes the transaction that holds the subject's lock (`lockSubject`), so that two
 * instances counting the same subject at once take turns.
 */

/** Serialises every count-and-take of one (scope, subject) until the transaction ends. */
export async function lockSubject(
	trx: Transaction<Database>,
	scope: RateScope,
	subject: string
): Promise<void> {
	await sql`select pg_advisory_xact_lock(hashtextextended(${`rate:${scope}:${subject}`}, 0))`.execute(
		trx
	);
}

/**
 * How many actions of the subject lie in (since, until], and the `nth` newest of them (null
 * when there are fewer than `nth`): the one whose ageing out frees a slot under a limit of `nth`.
 */
export async function countSince(
	trx: Transaction<Database>,
	scope: RateScope,
	subject: string,
	window: { since: Date; until: Date; nth: number }
): Promise<{ count: number; nthNewest: Date | null }> {
	const base = trx
		.selectFrom('rate_events')
		.where('scope', '=', scope)
		.where('subject', '=', subject)
		.where('at', '>', window.since)
		.where('at', '<=', window.until);
	const row = await base
		.select((eb) => [
			eb.fn.countAll<string>().as('count'),
			base
				.select('at')
				.orderBy('at', 'desc')
				.offset(Math.max(0, window.nth - 1))
				.limit(1)
				.as('nth_newest')
		])
		.executeTakeFirstOrThrow();
	return {
		count: Number(row.count),
		nthNewest: row.nth_newest === null ? null : new Date(row.nth_newest)
	};
}

/** Counts `count` actions of the subject at `at` (one by default). */
export async function insertEvents(
	trx: Transaction<Database>,
	event: { scope: RateScope; subject: string; at: Date },
	count = 1
): Promise<void> {
	await trx
		.insertInto('rate_events')
		.values(Array.from({ length: count }, () => event))
		.execute();
}

/** Forgets the subject's actions no window looks at any more (at or before `before`). */
export async function deleteBefore(
	trx: Transaction<Database>,
	scope: RateScope,
	subject: string,
	before: Date
): Promise<void> {
	await trx
		.deleteFrom('rate_events')
		.where('scope', '=', scope)
		.where('subject', '=', subject)
		.where('at', '<=', before)
		.execute();
}
