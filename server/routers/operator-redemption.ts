import { z } from 'zod';
import * as limits from '../repositories/redeem-limits';
import { companyCashbackTotals } from '../repositories/cashback-totals';
import { addPercentChange, percentChangeInput } from '../services/percent-history';
import { operatorProcedure } from '../trpc';
import { periodInput } from './company-operations';

const companyId = z.number().int().positive();

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
	setRedeemLimit: operatorProcedure.input(percentChangeInput).mutation(async ({ ctx, input }) => {
		const change = await addPercentChange(ctx.db, input, (row) =>
			limits.insertRedeemLimit(ctx.db, { ...row, redeemMaxBp: row.bp, createdBy: ctx.user.id })
		);
		return change.ok
			? { ok: true as const, redeemMaxBp: change.bp, effectiveFrom: change.effectiveFrom }
			: change;
	}),

	/** Per company: cashback accrued (net of refunds) and redeemed (net of refunds) in a period. */
	cashbackTotals: operatorProcedure
		.input(z.object({ period: periodInput }))
		.query(({ ctx, input }) => companyCashbackTotals(ctx.db, input.period))
};
