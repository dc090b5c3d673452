import { z } from 'zod';
import { normalizeEmail, normalizeRuPhone } from '../../src/lib/domain';
import { isValidCustomerId } from '../../src/lib/domain/customer-id';
import { userText } from '../../src/lib/domain/text';
import * as consents from '../repositories/consents';
import { ledgerOf, listErasures } from '../repositories/erasures';
import { eraseCustomer } from '../services/customer-erasure';
import { exportCustomerData } from '../services/customer-export';
import { createRouter, customerProcedure, operatorProcedure } from '../trpc';

/** How many erasures the operator's log shows. */
const ERASURE_LOG_LIMIT = 200;

/**
 * Personal data (SPEC C12, 152-FZ): the customer downloads their data and erases their
 * account; the operator reads the consents of a customer or a company and the erasure log.
 */
export const privacyRouter = createRouter({
	/** The customer's own data as one JSON document (profile, consents, operations). */
	exportMine: customerProcedure.query(({ ctx }) => exportCustomerData(ctx.db, ctx.customerId)),

	/** What the erasure warning tells: the balance that would be forfeited. */
	erasurePreview: customerProcedure.query(async ({ ctx }) => ({
		balanceKopecks: (await ledgerOf(ctx.db, ctx.customerId)).balanceKopecks
	})),

	/**
	 * Erases the caller's account after the warning (see services/customer-erasure.ts).
	 * The password confirms it; refusals are values.
	 */
	eraseMine: customerProcedure
		.input(z.object({ password: z.string().max(1024), confirmed: z.boolean() }))
		.mutation(({ ctx, input }) =>
			eraseCustomer(ctx.db, {
				userId: ctx.user.id,
				customerId: ctx.customerId,
				password: input.password,
				confirmed: input.confirmed
			})
		),

	/**
	 * A customer found by ID, phone or login e-mail, with every consent recorded for them; an
	 * erased customer is found by ID only (nothing else of them is left).
	 */
	customer: operatorProcedure
		.input(z.object({ query: userText({ max: 300 }) }))
		.query(async ({ ctx, input }) => {
			const q = input.query;
			// A number may be both a customer ID and a phone: the ID is tried first.
			let customerId: string | null = null;
			if (isValidCustomerId(q)) {
				const byId = await ctx.db
					.selectFrom('customers')
					.select('id')
					.where('id', '=', q)
					.executeTakeFirst();
				customerId = byId?.id ?? null;
			}
			const phone = normalizeRuPhone(q);
			if (!customerId && phone.ok) {
				const byPhone = await ctx.db
					.selectFrom('customers')
					.select('id')
					.where('phone', '=', phone.e164)
					.executeTakeFirst();
				customerId = byPhone?.id ?? null;
			}
			const email = normalizeEmail(q);
			if (!customerId && email.ok) {
				const byLogin = await ctx.db
					.selectFrom('users')
					.select('customer_id')
					.where('email', '=', email.email)
					.where('role', '=', 'customer')
					.executeTakeFirst();
				customerId = byLogin?.customer_id ?? null;
			}
			if (!customerId) return null;
			const customer = await ctx.db
				.selectFrom('customers')
				.leftJoin('users', 'users.customer_id', 'customers.id')
				.select([
					'customers.id',
					'customers.name',
					'customers.phone',
					'users.email',
					'customers.created_at as createdAt',
					'customers.erased_at as erasedAt'
				])
				.where('customers.id', '=', customerId)
				.executeTakeFirst();
			if (!customer) return null;
			return { ...customer, consents: await consents.listForCustomer(ctx.db, customerId) };
		}),

	/** The consents a company gave at its registration. */
	companyConsents: operatorProcedure
		.input(z.object({ companyId: z.number().int().positive() }))
		.query(({ ctx, input }) => consents.listForCompany(ctx.db, input.companyId)),

	/** The erasure audit log, newest first. */
	erasures: operatorProcedure.query(({ ctx }) => listErasures(ctx.db, ERASURE_LOG_LIMIT))
});
