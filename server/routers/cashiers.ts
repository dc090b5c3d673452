import { z } from 'zod';
import { isLocalDate } from '../../src/lib/forms/period';
import { TRPCError } from '@trpc/server';
import { createPinVerifier, PIN_PATTERN } from '../../src/lib/domain/pin';
import { userText } from '../../src/lib/domain/text';
import * as cashiers from '../repositories/cashiers';
import { hashRefundPin } from '../services/cashier-pins';
import { shiftReportsForDay } from '../repositories/shift-reports';
import { getIdleSeconds, setIdleSeconds } from '../repositories/terminal-settings';
import { companyProcedure, createRouter } from '../trpc';

const cashierFields = {
	name: userText({ min: 1, max: 100 }),
	active: z.boolean(),
	canRefund: z.boolean()
};
const pin = z.string().regex(PIN_PATTERN);
/** 8 digits, checked by the service (hashRefundPin): a refusal is a value, not a 400. */
const refundPin = z.string().max(32);

function publicView(c: {
	id: string;
	name: string;
	active: boolean;
	can_refund: boolean;
	refund_pin_hash: string | null;
}) {
	return {
		id: c.id,
		name: c.name,
		active: c.active,
		canRefund: c.can_refund,
		refundPinSet: c.refund_pin_hash !== null
	};
}

/** «Кассиры» in the company cabinet (SPEC C10): the admin's side of cashiers and shifts. */
export const cashiersRouter = createRouter({
	list: companyProcedure.query(async ({ ctx }) =>
		(await cashiers.listCashiers(ctx.db, ctx.companyId)).map(publicView)
	),

	/**
	 * A new cashier with a 4–6 digit PIN (only its PBKDF2 verifier is stored) and, for refunds,
	 * an 8-digit refund PIN (only its argon2id hash, never sent to a terminal).
	 */
	create: companyProcedure
		.input(z.object({ ...cashierFields, pin, refundPin: refundPin.optional() }))
		.mutation(async ({ ctx, input }) => {
			const refund = input.refundPin ? await hashRefundPin(input.refundPin, input.pin) : null;
			if (refund && !refund.ok) throw new TRPCError({ code: 'BAD_REQUEST', message: refund.error });
			const created = await cashiers.insertCashier(ctx.db, {
				companyId: ctx.companyId,
				name: input.name,
				active: input.active,
				canRefund: input.canRefund,
				pin: await createPinVerifier(input.pin),
				refundPinHash: refund?.hash ?? null
			});
			return publicView(created);
		}),

	/** Name, flags and (when given) a new PIN; terminals pick it up at their next sync. */
	update: companyProcedure
		.input(
			z.object({
				cashierId: z.uuid(),
				...cashierFields,
				pin: pin.optional(),
				refundPin: refundPin.optional()
			})
		)
		.mutation(async ({ ctx, input }) => {
			const current = await cashiers.getCashier(ctx.db, ctx.companyId, input.cashierId);
			if (!current) return { ok: false as const, error: 'not_found' as const };
			const shiftPin = input.pin ?? {
				salt: current.pin_salt,
				verifier: current.pin_verifier,
				iterations: current.pin_iterations
			};
			const refund = input.refundPin ? await hashRefundPin(input.refundPin, shiftPin) : null;
			if (refund && !refund.ok) return { ok: false as const, error: refund.error };
			const ok = await cashiers.updateCashier(ctx.db, {
				companyId: ctx.companyId,
				cashierId: input.cashierId,
				name: input.name,
				active: input.active,
				canRefund: input.canRefund,
				pin: input.pin ? await createPinVerifier(input.pin) : null,
				refundPinHash: refund?.hash
			});
			return ok ? { ok: true as const } : { ok: false as const, error: 'not_found' as const };
		}),

	/** After how long without a touch a terminal asks for the PIN again (seconds). */
	idleLock: companyProcedure.query(async ({ ctx }) => ({
		seconds: await getIdleSeconds(ctx.db, ctx.companyId)
	})),

	setIdleLock: companyProcedure
		.input(z.object({ seconds: z.number().int().min(10).max(86400) }))
		.mutation(async ({ ctx, input }) => {
			await setIdleSeconds(ctx.db, ctx.companyId, input.seconds);
			return { seconds: input.seconds };
		}),

	/** The X-reports of a local day: one line per terminal, cashier and shift. */
	shiftReports: companyProcedure
		.input(z.object({ date: z.string().refine(isLocalDate, 'expected a date YYYY-MM-DD') }))
		.query(({ ctx, input }) =>
			shiftReportsForDay(ctx.db, { companyId: ctx.companyId, date: input.date })
		)
});
