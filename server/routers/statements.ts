import { z } from 'zod';
import { figuresOf, netFiguresOf, payerOf } from '../../src/lib/domain/settlement';
import * as overview from '../repositories/platform-overview';
import { closeMonthForAll, monthOfAllCompanies } from '../services/statements-month';
import {
	closeMonth,
	getStatement,
	listMonths,
	MONTH_KEY,
	shiftMonth
} from '../services/statements';
import { companyProcedure, createRouter, operatorProcedure } from '../trpc';

const month = z.string().regex(MONTH_KEY, 'expected a month YYYY-MM');
const companyId = z.number().int().positive().max(2_147_483_647);
const partnerId = z.number().int().positive().max(2_147_483_647);

/**
 * Settlement statements (SPEC C11): the company's «Расчёты», the operator's month view of all
 * companies, a company's months, closing, and the platform overview. Figures come from the day
 * summaries; a closed statement is read back frozen, exactly as hashed.
 */
export const statementsRouter = createRouter({
	/** The company's months, newest first: the open ones live, the closed ones frozen. */
	myMonths: companyProcedure.query(async ({ ctx }) => {
		const result = await listMonths(ctx.db, ctx.companyId);
		return result ? { timeZone: result.books.timeZone, months: result.months } : null;
	}),

	/** One month's statement of the company. */
	myStatement: companyProcedure
		.input(z.object({ month }))
		.query(({ ctx, input }) => getStatement(ctx.db, ctx.companyId, input.month)),

	/** Every company's statement of a month (optionally of one partner), with the totals. */
	month: operatorProcedure
		.input(z.object({ month, partnerId: partnerId.optional() }))
		.query(({ ctx, input }) => monthOfAllCompanies(ctx.db, input)),

	/** A company's months, as the company sees them. */
	companyMonths: operatorProcedure.input(z.object({ companyId })).query(async ({ ctx, input }) => {
		const result = await listMonths(ctx.db, input.companyId);
		return result
			? { name: result.books.name, timeZone: result.books.timeZone, months: result.months }
			: null;
	}),

	/** A company's statement of a month. */
	companyStatement: operatorProcedure
		.input(z.object({ companyId, month }))
		.query(({ ctx, input }) => getStatement(ctx.db, input.companyId, input.month)),

	/** Closes a company's month (and any earlier one still open); frozen from then on. */
	close: operatorProcedure
		.input(z.object({ companyId, month }))
		.mutation(({ ctx, input }) =>
			closeMonth(ctx.db, { companyId: input.companyId, month: input.month, closedBy: ctx.user.id })
		),

	/** Closes a month for every company of the view whose month has ended. */
	closeAll: operatorProcedure
		.input(z.object({ month, partnerId: partnerId.optional() }))
		.mutation(({ ctx, input }) => closeMonthForAll(ctx.db, { ...input, closedBy: ctx.user.id })),

	/** The platform overview at /operator. */
	overview: operatorProcedure.query(async ({ ctx }) => {
		const [months, liability, statuses, registrations] = await Promise.all([
			overview.monthSums(ctx.db),
			overview.outstandingLiability(ctx.db),
			overview.companiesByStatus(ctx.db),
			overview.registrationsByPartner(ctx.db)
		]);
		const current = figuresOf(months.current);
		const previous = figuresOf(months.previous);
		const thisMonth = new Intl.DateTimeFormat('en-CA', {
			timeZone: 'Europe/Moscow',
			year: 'numeric',
			month: '2-digit'
		})
			.format(new Date())
			.slice(0, 7);
		return {
			/** The months the figures' links open (Moscow time, the platform's). */
			months: { current: thisMonth, previous: shiftMonth(thisMonth, -1) },
			current: { ...current, payer: payerOf(current.netKopecks) },
			previous: { ...previous, payer: payerOf(previous.netKopecks) },
			/** The headline figures, net of refunds: what «Кэшбэк по компаниям» sums to. */
			net: { current: netFiguresOf(months.current), previous: netFiguresOf(months.previous) },
			liability,
			statuses,
			registrations,
			reviewQueue: statuses.pending
		};
	})
});
