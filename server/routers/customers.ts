import { z } from 'zod';
import { userText } from '../../src/lib/domain/text';
import { isValidCustomerId } from '../../src/lib/domain/customer-id';
import { getCustomerNames, listRecentCustomersOfCompany } from '../repositories/customers';
import { counterProcedure, createRouter } from '../trpc';

export const customersRouter = createRouter({
	/** Step 2 of the payment: the name behind a customer ID, or null when there is none. */
	lookup: counterProcedure
		.input(z.object({ customerId: userText({ max: 32 }) }))
		.query(async ({ ctx, input }) => {
			if (!isValidCustomerId(input.customerId)) return null;
			const names = await getCustomerNames(ctx.db, [input.customerId]);
			const name = names.get(input.customerId);
			return name === undefined ? null : { customerId: input.customerId, name };
		}),

	/** Customers this company served lately: the counter caches them to name them offline. */
	recent: counterProcedure
		.input(z.object({ limit: z.number().int().min(1).max(500).default(200) }).optional())
		.query(({ ctx, input }) =>
			listRecentCustomersOfCompany(ctx.db, ctx.companyId, input?.limit ?? 200)
		)
});
