import { z } from 'zod';
import { userText } from '../../src/lib/domain/text';
import { TRPCError } from '@trpc/server';
import { tooManyRequests, waitTextRu } from '../http/too-many-requests';
import { listRecentCustomersOfCompany } from '../repositories/customers';
import { lookUpCustomerForCompany } from '../services/customer-lookup';
import { lookUpCustomerByPhoneForCompany } from '../services/customer-phone-lookup';
import { counterProcedure, createRouter } from '../trpc';

export const customersRouter = createRouter({
	/**
	 * Step 2 of the payment: the name behind a customer ID, or null when there is none. Active
	 * companies only (FORBIDDEN otherwise), at most KOPEK_LOOKUPS_PER_MINUTE / _PER_DAY per
	 * company (TOO_MANY_REQUESTS with Retry-After past them; unknown IDs count too) — the
	 * admin's counter and the company's paired terminals together (SPEC C10). By `phone`
	 * instead (any Russian way of writing it) under the same limits, one slot per lookup.
	 */
	lookup: counterProcedure
		.input(
			z
				.object({
					customerId: userText({ max: 32 }).optional(),
					phone: userText({ max: 40 }).optional()
				})
				.refine((i) => (i.customerId === undefined) !== (i.phone === undefined), {
					message: 'either customerId or phone'
				})
		)
		.query(async ({ ctx, input }) => {
			const outcome =
				input.phone !== undefined
					? await lookUpCustomerByPhoneForCompany(ctx.db, ctx.companyId, input.phone)
					: await lookUpCustomerForCompany(ctx.db, ctx.companyId, input.customerId ?? '');
			if (outcome.ok) return outcome.customer;
			if (outcome.error === 'company_inactive') {
				throw new TRPCError({
					code: 'FORBIDDEN',
					message: 'Компания не активна: проверка клиентов доступна после одобрения'
				});
			}
			throw tooManyRequests(
				`Слишком много проверок клиентов. Повторите через ${waitTextRu(outcome.retryAfterSeconds)}.`,
				outcome.retryAfterSeconds
			);
		}),

	/** Customers this company served lately: the counter caches them to name them offline. */
	recent: counterProcedure
		.input(z.object({ limit: z.number().int().min(1).max(500).default(200) }).optional())
		.query(({ ctx, input }) =>
			listRecentCustomersOfCompany(ctx.db, ctx.companyId, input?.limit ?? 200)
		)
});
