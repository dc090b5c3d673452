import { z } from 'zod';
import { userText } from '../../src/lib/domain/text';
import { isLocalDate, daysInRange, MAX_CUSTOM_DAYS } from '../../src/lib/forms/period';
import * as companies from '../repositories/companies';
import * as list from '../repositories/operations-list';
import { refundPayment } from '../repositories/refunds';
import { companyProcedure } from '../trpc';

const localDate = z.string().refine(isLocalDate, 'expected a date YYYY-MM-DD');

export const periodInput = z.discriminatedUnion('kind', [
	z.object({ kind: z.enum(['day', 'month', 'year']), anchor: localDate.optional() }),
	z
		.object({ kind: z.literal('custom'), from: localDate, to: localDate })
		.refine((p) => p.from <= p.to, { message: 'from must not be after to', path: ['to'] })
		.refine((p) => daysInRange(p.from, p.to) <= MAX_CUSTOM_DAYS, {
			message: `at most ${MAX_CUSTOM_DAYS} days`,
			path: ['to']
		})
]);

const cursorInput = z.object({
	at: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/),
	id: z.uuid()
});

/** «Касса» / «Кассир» filters (SPEC C10), `admin` = the admin's own operations; the search. */
const filterInput = z
	.object({
		deviceId: z.uuid().optional(),
		cashierId: z.union([z.uuid(), z.literal('admin')]).optional(),
		/** Search by customer ID (its start) or name; only this company's operations anyway. */
		customer: userText({ max: 100 }).optional()
	})
	.optional();

/** Rows a CSV export reads per round trip: enough to be fast, small enough to stream. */
export const EXPORT_BATCH = 2000;

/**
 * The company's operations ("Клиенты"): the list with periods, totals, chart, CSV batches and
 * refunds. Merged into the companies router (flat names: companies.listOperations, …).
 * Every query is bound to `ctx.companyId`; nothing here takes a company from the input.
 */
export const companyOperationProcedures = {
	/**
	 * A page of the period's operations, newest first (keyset: pass the previous nextCursor).
	 * The first page (no cursor) also carries the period's totals and bounds.
	 */
	listOperations: companyProcedure
		.input(
			z.object({
				period: periodInput,
				cursor: cursorInput.optional(),
				limit: z.number().int().min(1).max(200).default(50),
				filter: filterInput
			})
		)
		.query(async ({ ctx, input }) => {
			const args = { companyId: ctx.companyId, period: input.period };
			const [page, totals] = await Promise.all([
				// Totals come from the day summaries (whole company); the filter narrows the rows.
				list.listPage(ctx.db, {
					...args,
					cursor: input.cursor,
					limit: input.limit,
					filter: input.filter
				}),
				input.cursor ? Promise.resolve(null) : list.periodTotals(ctx.db, args)
			]);
			return { ...page, totals };
		}),

	/** Turnover and cashback per day (per month for a year) of the period. */
	operationsChart: companyProcedure
		.input(z.object({ period: periodInput }))
		.query(({ ctx, input }) =>
			// The chart comes from the day summaries: it shows the whole company, filter or not.
			list.periodChart(ctx.db, { companyId: ctx.companyId, period: input.period })
		),

	/** One batch of the CSV export, in list order; the endpoint streams batch after batch. */
	exportOperations: companyProcedure
		.input(
			z.object({
				period: periodInput,
				cursor: cursorInput.optional(),
				limit: z.number().int().min(1).max(EXPORT_BATCH).default(EXPORT_BATCH),
				filter: filterInput
			})
		)
		.query(async ({ ctx, input }) => {
			const page = await list.listPage(ctx.db, {
				companyId: ctx.companyId,
				period: input.period,
				cursor: input.cursor,
				limit: input.limit,
				filter: input.filter
			});
			return { ...page, timeZone: await companies.getTimeZone(ctx.db, ctx.companyId) };
		}),

	/**
	 * "Вернуть": reverses a payment of this company made within 30 days, with a reason, whole or
	 * a part of it; several partial refunds, never more than the payment in total.
	 */
	refund: companyProcedure
		.input(
			z.object({
				operationId: z.uuid(),
				reason: userText({ min: 1, max: 500 }),
				/** A part of the bill (SPEC C13); absent: all that remains refundable. */
				amountKopecks: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional()
			})
		)
		.mutation(async ({ ctx, input }) => {
			return ctx.db.transaction().execute((trx) =>
				refundPayment(trx, {
					companyId: ctx.companyId,
					operationId: input.operationId,
					reason: input.reason,
					amountKopecks: input.amountKopecks,
					userId: ctx.user.id
				})
			);
		})
};
