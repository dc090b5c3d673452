import { z } from 'zod';
import { liveOffer } from '../services/campaigns';
import { authedProcedure, createRouter, publicProcedure } from '../trpc';

export const authRouter = createRouter({
	/** Who is signed in (null when nobody): the counter caches this for offline use. */
	me: publicProcedure.query(async ({ ctx }) => {
		if (!ctx.user) return null;
		const company =
			ctx.user.companyId === null
				? null
				: await ctx.db
						.selectFrom('companies')
						.select(['id', 'name', 'status', 'time_zone as timeZone'])
						// The rate in force now: the counter's preview uses it, offline too.
						.select((eb) =>
							eb
								.selectFrom('company_rates')
								.select('rate_bp')
								.whereRef('company_rates.company_id', '=', 'companies.id')
								.where('effective_from', '<=', new Date())
								.orderBy('effective_from', 'desc')
								.limit(1)
								.as('rateBp')
						)
						.where('id', '=', ctx.user.companyId)
						.executeTakeFirst();
		// Campaigns in reach and the ceiling (issue 22): cached with the rate for offline preview.
		const offer = company ? await liveOffer(ctx.db, company.id) : null;
		return {
			id: ctx.user.id,
			email: ctx.user.email,
			role: ctx.user.role,
			locale: ctx.user.locale,
			company: company ? { ...company, ...offer } : null
		};
	}),
	/** Russian first, English second, chosen per user. */
	setLocale: authedProcedure
		.input(z.object({ locale: z.enum(['ru', 'en']) }))
		.mutation(async ({ ctx, input }) => {
			await ctx.db
				.updateTable('users')
				.set({ locale: input.locale })
				.where('id', '=', ctx.user.id)
				.execute();
			return { locale: input.locale };
		})
});
