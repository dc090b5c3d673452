import { z } from 'zod';
import { percentToBp } from '../../src/lib/domain';
import * as companies from '../repositories/companies';
import * as limits from '../repositories/redeem-limits';
import * as rates from '../repositories/rates';
import { companyCashbackTotals } from '../repositories/cashback-totals';
import { operatorProcedure } from '../trpc';
import { periodInput } from './company-operations';

const companyId = z.number().int().positive();
const localDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/);

/**
 * The operator's side of pay-with-cashback (SPEC C9): each company's redemption limit (the
 * largest share of a bill payable with cashback, history kept like rates) and, per company,
 * the cashback accrued and redeemed in a period. Merged into the operator router.
 */
export const operatorRedemptionProcedures = {
	/** The limit history of a company, newest first. */
	redeemLimits: operatorProcedure
		.input(z.object({ companyId }))
		.query(({ ctx, input }) => limits.listRedeemLimitHistory(ctx.db, input.companyId)),

	/**
	 * A new limit in percent of the bill (0 = cashback not accepted), effective from a wall-clock
	 * time in the company's zone (now when not given). Earlier limits stay in the history.
	 */
	setRedeemLimit: operatorProcedure
		.input(
			z.object({
				companyId,
				percent: z.string().max(20),
				effectiveFrom: localDateTime.optional()
			})
		)
		.mutation(async ({ ctx, input }) => {
			const parsed = percentToBp(input.percent);
			if (!parsed.ok) return { ok: false as const, fieldErrors: { percent: 'format' } };
			if (!(await companies.getCreatedAt(ctx.db, input.companyId))) {
				return { ok: false as const, fieldErrors: {}, error: 'not_found' as const };
			}
			const effectiveFrom = input.effectiveFrom
				? await rates.localTimeToInstant(ctx.db, input.companyId, input.effectiveFrom)
				: new Date();
			const outcome = await limits.insertRedeemLimit(ctx.db, {
				companyId: input.companyId,
				redeemMaxBp: parsed.bp,
				effectiveFrom,
				createdBy: ctx.user.id
			});
			if (!outcome.ok) return { ok: false as const, fieldErrors: { effectiveFrom: 'same_moment' } };
			return { ok: true as const, redeemMaxBp: parsed.bp, effectiveFrom };
		}),

	/** Per company: cashback accrued (net of refunds) and redeemed (net of refunds) in a period. */
	cashbackTotals: operatorProcedure
		.input(z.object({ period: periodInput }))
		.query(({ ctx, input }) => companyCashbackTotals(ctx.db, input.period))
};
