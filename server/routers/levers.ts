import { z } from 'zod';
import { listExpiring } from '../repositories/expiry';
import {
	getProgramRules,
	listProgramRules,
	setProgramRules,
	validRules
} from '../repositories/program-rules';
import { companyCampaigns, createCampaign, stopCampaign } from '../services/campaigns';
import { companyProcedure, createRouter, operatorProcedure } from '../trpc';

/**
 * The program's levers (issue 22, SPEC C15): the operator's rules (hold period, expiry, the
 * campaign ceiling) with their history and the report of what expires next month; the
 * company's campaigns («Акции»).
 */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const leversRouter = createRouter({
	rules: operatorProcedure.query(async ({ ctx }) => ({
		current: await getProgramRules(ctx.db),
		history: await listProgramRules(ctx.db)
	})),
	setRules: operatorProcedure
		.input(
			z.object({
				holdDays: z.number().int(),
				expiryMonths: z.number().int(),
				campaignMaxBp: z.number().int()
			})
		)
		.mutation(async ({ ctx, input }) => {
			if (!validRules(input)) return { ok: false as const, error: 'out_of_range' as const };
			await setProgramRules(ctx.db, { ...input, userId: ctx.user.id });
			return { ok: true as const };
		}),
	/** Balances that expire in the next calendar month (UTC months), largest list first 500. */
	expiringNextMonth: operatorProcedure.query(async ({ ctx }) => {
		const now = new Date();
		const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
		const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 1));
		const rows = await listExpiring(ctx.db, { from, to, limit: 500 });
		return { from, to, rows, totalKopecks: rows.reduce((s, r) => s + r.kopecks, 0) };
	}),
	campaigns: companyProcedure.query(({ ctx }) => companyCampaigns(ctx.db, ctx.companyId)),
	createCampaign: companyProcedure
		.input(
			z.object({
				name: z.string().max(100),
				rateBp: z.number().int().min(1).max(10_000),
				startsOn: day,
				endsOn: day,
				weekdays: z.number().int().min(1).max(127),
				fromMinute: z.number().int().min(0).max(1439),
				toMinute: z.number().int().min(0).max(1439)
			})
		)
		.mutation(({ ctx, input }) =>
			createCampaign(ctx.db, { ...input, companyId: ctx.companyId, userId: ctx.user.id })
		),
	cancelCampaign: companyProcedure
		.input(z.object({ id: z.number().int() }))
		.mutation(async ({ ctx, input }) => ({
			ok: await stopCampaign(ctx.db, ctx.companyId, input.id)
		}))
});
