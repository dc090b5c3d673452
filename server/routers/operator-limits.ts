import { z } from 'zod';
import { listMoneyLimitHistory } from '../repositories/money-limits';
import { DEFAULT_MONEY_LIMITS, moneyLimitsInput, setMoneyLimits } from '../services/money-limits';
import { operatorProcedure } from '../trpc';

/**
 * The operator's money limits per company (issue 18, SPEC C16): the largest bill and the largest
 * cashback of one operation, history kept like rates. Merged into the operator router.
 */
export const operatorLimitProcedures = {
	/** The limit history of a company, newest first, and the defaults that apply without one. */
	moneyLimits: operatorProcedure
		.input(z.object({ companyId: z.number().int().positive() }))
		.query(async ({ ctx, input }) => ({
			history: await listMoneyLimitHistory(ctx.db, input.companyId),
			defaults: DEFAULT_MONEY_LIMITS
		})),

	/** New limits in rubles, effective from a wall-clock time in the company's zone (or now). */
	setMoneyLimits: operatorProcedure
		.input(moneyLimitsInput)
		.mutation(({ ctx, input }) => setMoneyLimits(ctx.db, input, ctx.user.id))
};
