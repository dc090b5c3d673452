import type { Kysely } from 'kysely';
import type { Database, RateScope } from '../db/types';
import { countSince, deleteBefore, insertEvent, lockSubject } from '../repositories/rate-events';

/** At most `max` actions in any `windowMs` (a sliding window, not calendar minutes). */
export interface RateWindow {
	windowMs: number;
	max: number;
}

export type RateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Whether one more action fits every window, from each window's count and its `max`-th newest
 * action: full windows refuse until their `max`-th newest action ages out (the latest of
 * those moments when several are full).
 */
export function rateVerdict(
	windows: readonly (RateWindow & { count: number; nthNewest: Date | null })[],
	now: Date
): RateVerdict {
	let freeAt = 0;
	for (const w of windows) {
		if (w.count < w.max || w.nthNewest === null) continue;
		freeAt = Math.max(freeAt, w.nthNewest.getTime() + w.windowMs);
	}
	if (freeAt === 0) return { ok: true };
	return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)) };
}

/**
 * Takes a slot for one action of `subject` under every window of `scope`, or says when one
 * frees. Counted in the database, under a lock per subject, so the limit holds exactly across
 * instances. A refused action is not counted (a client hammering past the limit neither grows
 * the table nor pushes its own end further).
 */
export async function takeRateSlot(
	db: Kysely<Database>,
	scope: RateScope,
	subject: string,
	windows: readonly RateWindow[],
	now = new Date()
): Promise<RateVerdict> {
	const active = windows.filter((w) => w.max > 0 && w.windowMs > 0);
	return db.transaction().execute(async (trx) => {
		await lockSubject(trx, scope, subject);
		const counted = [];
		for (const w of active) {
			const since = new Date(now.getTime() - w.windowMs);
			counted.push({
				...w,
				...(await countSince(trx, scope, subject, { since, until: now, nth: w.max }))
			});
		}
		const verdict = rateVerdict(counted, now);
		if (!verdict.ok) return verdict;
		await insertEvent(trx, { scope, subject, at: now });
		const longest = Math.max(0, ...active.map((w) => w.windowMs));
		await deleteBefore(trx, scope, subject, new Date(now.getTime() - longest));
		return verdict;
	});
}
