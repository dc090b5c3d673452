import { z } from 'zod';
import { listHolds } from '../repositories/holds';
import { cancelHold, confirmHold } from '../services/review-queue';
import { companyProcedure, createRouter, operatorProcedure } from '../trpc';

/** The newest holds a page shows at once. */
const PAGE = 200;

const listInput = z.object({ open: z.boolean().default(true) }).default({ open: true });
const decisionInput = z.object({ operationId: z.uuid() });

/**
 * «Подозрительные операции» (issue 18, SPEC C16): payments whose cashback is held for review.
 * The operator sees and decides every company's; a company's admin its own.
 */
export const reviewRouter = createRouter({
	operatorList: operatorProcedure
		.input(listInput)
		.query(({ ctx, input }) =>
			listHolds(ctx.db, { companyId: null, open: input.open, limit: PAGE })
		),
	operatorConfirm: operatorProcedure
		.input(decisionInput)
		.mutation(({ ctx, input }) =>
			confirmHold(ctx.db, { ...input, userId: ctx.user.id, companyId: null })
		),
	operatorCancel: operatorProcedure
		.input(decisionInput)
		.mutation(({ ctx, input }) =>
			cancelHold(ctx.db, { ...input, userId: ctx.user.id, companyId: null })
		),

	companyList: companyProcedure
		.input(listInput)
		.query(({ ctx, input }) =>
			listHolds(ctx.db, { companyId: ctx.companyId, open: input.open, limit: PAGE })
		),
	companyConfirm: companyProcedure
		.input(decisionInput)
		.mutation(({ ctx, input }) =>
			confirmHold(ctx.db, { ...input, userId: ctx.user.id, companyId: ctx.companyId })
		),
	companyCancel: companyProcedure
		.input(decisionInput)
		.mutation(({ ctx, input }) =>
			cancelHold(ctx.db, { ...input, userId: ctx.user.id, companyId: ctx.companyId })
		)
});
