import type { Kysely, Transaction } from 'kysely';
import type { Database, RateScope } from '../db/types';
import { countSince, deleteBefore, insertEvents, lockSubject } from '../repositories/rate-events';

/** At most `max` actions in any `windowMs` (a sliding window, not calendar minutes). */
export interface RateWindow {
	windowMs: number;
	max: number;
}

export type RateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Whether `need` more actions (default one) fit every window, from each window's count and its
 * (`max` − `need` + 1)-th newest action: a window without room refuses until that action ages
 * out (the latest of those moments when several refuse). `need` beyond a window's `max` never
 * fits; it is told to come back after the whole window.
 */
export function rateVerdict(
	windows: readonly (RateWindow & { count: number; nthNewest: Date | null })[],
	now: Date,
	need = 1
): RateVerdict {
	let freeAt = 0;
	for (const w of windows) {
		if (w.count + need <= w.max) continue;
		if (need > w.max) freeAt = Math.max(freeAt, now.getTime() + w.windowMs);
		else if (w.nthNewest !== null) freeAt = Math.max(freeAt, w.nthNewest.getTime() + w.windowMs);
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
	return db.transaction().execute((trx) => takeRateSlotsIn(trx, scope, subject, windows, 1, now));
}

/**
 * takeRateSlot for `need` actions at once, all or none, inside the caller's transaction: the
 * subject's lock is held, and the slots count, until that transaction ends (and are not taken
 * if it rolls back). Used where the counted action is part of a larger write (payments.sync).
 */
export async function takeRateSlotsIn(
	trx: Transaction<Database>,
	scope: RateScope,
	subject: string,
	windows: readonly RateWindow[],
	need: number,
	now = new Date()
): Promise<RateVerdict> {
	const active = windows.filter((w) => w.max > 0 && w.windowMs > 0);
	if (need <= 0) return { ok: true };
	await lockSubject(trx, scope, subject);
	const counted = [];
	for (const w of active) {
		const since = new Date(now.getTime() - w.windowMs);
		const nth = Math.max(1, w.max - need + 1);
		counted.push({ ...w, ...(await countSince(trx, scope, subject, { since, until: now, nth })) });
	}
	const verdict = rateVerdict(counted, now, need);
	if (!verdict.ok) return verdict;
	await insertEvents(trx, { scope, subject, at: now }, need);
	const longest = Math.max(0, ...active.map((w) => w.windowMs));
	await deleteBefore(trx, scope, subject, new Date(now.getTime() - longest));
	return verdict;
}
