import { z } from 'zod';
import { userText } from '../../src/lib/domain/text';
import { getSecretKey } from '../crypto/keys';
import { redeem } from '../services/redemption';
import { previewRedemption } from '../services/redemption-preview';
import { counterProcedure } from '../trpc';
import { throttledToHttp } from './lookup-throttled';

/** Integer kopecks; the business range is checked by the service (`amount_out_of_range`). */
const kopecks = z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
/** The customer's one-time code as typed or scanned; a malformed one is a `bad_code`. */
const code = z.string().trim().max(32);
const customerId = userText({ min: 1, max: 32 });

/**
 * Pay with cashback at the counter (SPEC C9, "The redemption contract"). Online only: the
 * device asks the server, nothing is queued. Merged into the payments router. The company
 * admin's counter or a paired terminal (SPEC C10; a revoked one is refused), whose redemption
 * carries the shift's cashier like a payment.
 */
export const redemptionProcedures = {
	/** With a valid code only: the customer's name, balance and the most this bill may take. */
	redeemPreview: counterProcedure
		.input(z.object({ deviceId: z.uuid(), customerId, code, billKopecks: kopecks }))
		.mutation(({ ctx, input }) =>
			previewRedemption(ctx.db, {
				...input,
				companyId: ctx.companyId,
				now: new Date(),
				key: getSecretKey(),
				sender: { terminal: ctx.counter.kind === 'terminal' ? ctx.counter.terminal : null }
			}).catch(throttledToHttp)
		),

	/** Pays `redeemKopecks` of the bill with cashback; idempotent by `id` like payments.sync. */
	redeem: counterProcedure
		.input(
			z.object({
				id: z.uuid(),
				deviceId: z.uuid(),
				customerId,
				code,
				billKopecks: kopecks,
				redeemKopecks: kopecks,
				occurredAt: z.iso.datetime({ offset: true }),
				cashierId: z.uuid().nullish(),
				shiftId: z.uuid().nullish()
			})
		)
		.mutation(({ ctx, input }) =>
			redeem(ctx.db, {
				...input,
				companyId: ctx.companyId,
				createdBy: ctx.counter.userId,
				now: new Date(),
				key: getSecretKey(),
				sender: { terminal: ctx.counter.kind === 'terminal' ? ctx.counter.terminal : null }
			}).catch(throttledToHttp)
		)
};
