import type { Kysely } from 'kysely';
import type { Database } from '../db/types';
import { listExpiring } from '../repositories/expiry';
import { listPending, sumHeldForReview } from '../repositories/pending-cashback';

/** How long before it expires the card warns about a balance (SPEC C15). */
export const EXPIRY_NOTICE_DAYS = 30;

/** What pends and what expires soon: the card's lines under the balance (issue 22). */
export interface CardProgram {
	/** Pending cashback by the day it becomes spendable, earliest first. */
	pending: { kopecks: number; availableAt: Date }[];
	/** Cashback held for review (0012), waiting for a person: pending without a date. */
	heldForReviewKopecks: number;
	/** The available balance that expires within EXPIRY_NOTICE_DAYS, and when. */
	expiring: { kopecks: number; expiresAt: Date } | null;
}

export async function cardProgram(
	db: Kysely<Database>,
	customerId: string,
	now = new Date()
): Promise<CardProgram> {
	const [pending, heldForReviewKopecks, expiring] = await Promise.all([
		listPending(db, customerId),
		sumHeldForReview(db, customerId),
		listExpiring(db, {
			from: new Date(0),
			to: new Date(now.getTime() + EXPIRY_NOTICE_DAYS * 86_400_000),
			customerId,
			limit: 1
		})
	]);
	const soon = expiring[0];
	return {
		pending: pending.map((p) => ({ kopecks: p.kopecks, availableAt: p.availableAt })),
		heldForReviewKopecks,
		expiring: soon ? { kopecks: soon.kopecks, expiresAt: soon.expiresAt } : null
	};
}
