import type { Kysely } from 'kysely';
import { z } from 'zod';
import { percentToBp } from '../../src/lib/domain';
import type { Database } from '../db/types';
import * as companies from '../repositories/companies';
import * as rates from '../repositories/rates';

/**
 * A company's percentages with a history (its cashback rate, its redemption limit): a new one
 * in percent with up to two decimals, effective from a wall-clock time in the company's zone
 * (now when not given); earlier ones stay. The operator's `setRate` and `setRedeemLimit`.
 */
export const percentChangeInput = z.object({
	companyId: z.number().int().positive(),
	percent: z.string().max(20),
	/** A wall-clock time as `<input type="datetime-local">` sends it. */
	effectiveFrom: z
		.string()
		.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/)
		.optional()
});

export type PercentChange =
	| {
			ok: false;
			fieldErrors: { percent?: 'format'; effectiveFrom?: 'same_moment' };
			error?: 'not_found';
	  }
	| { ok: true; bp: number; effectiveFrom: Date };

/** Parses and stores one change through `insert` (the rate's or the limit's repository). */
export async function addPercentChange(
	db: Kysely<Database>,
	input: z.infer<typeof percentChangeInput>,
	insert: (row: { companyId: number; bp: number; effectiveFrom: Date }) => Promise<{ ok: boolean }>
): Promise<PercentChange> {
	const parsed = percentToBp(input.percent);
	if (!parsed.ok) return { ok: false, fieldErrors: { percent: 'format' } };
	if (!(await companies.getCreatedAt(db, input.companyId))) {
		return { ok: false, fieldErrors: {}, error: 'not_found' };
	}
	const effectiveFrom = input.effectiveFrom
		? await rates.localTimeToInstant(db, input.companyId, input.effectiveFrom)
		: new Date();
	const outcome = await insert({ companyId: input.companyId, bp: parsed.bp, effectiveFrom });
	if (!outcome.ok) return { ok: false, fieldErrors: { effectiveFrom: 'same_moment' } };
	return { ok: true, bp: parsed.bp, effectiveFrom };
}
