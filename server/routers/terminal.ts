import { liveOffer } from '../services/campaigns';
import { z } from 'zod';
import { userText } from '../../src/lib/domain/text';
import { listCashiers } from '../repositories/cashiers';
import { shiftReport } from '../repositories/shift-reports';
import { listTerminalOperations } from '../repositories/terminal-operations';
import { getTerminalCompany } from '../repositories/terminal-settings';
import { COUNTER_REFUND_MAX_AGE_HOURS, refundAtCounter } from '../services/counter-refund';
import { createRouter, terminalProcedure } from '../trpc';

/**
 * What only a paired terminal asks (SPEC C10): who it is with its cashiers' shift-PIN
 * verifiers (to open shifts offline; nothing of the refund PINs, which the server alone
 * checks), its own recent operations, a shift's report and refunds at the counter.
 */
export const terminalRouter = createRouter({
	/** The terminal's identity, refreshed at each sync; the counter caches it for offline use. */
	me: terminalProcedure.query(async ({ ctx }) => {
		const [company, people] = await Promise.all([
			getTerminalCompany(ctx.db, ctx.companyId),
			listCashiers(ctx.db, ctx.companyId, { activeOnly: true })
		]);
		return {
			deviceId: ctx.deviceId,
			name: ctx.terminal.name,
			company: {
				id: company.id,
				name: company.name,
				status: company.status,
				timeZone: company.timeZone,
				rateBp: company.rateBp ?? null,
				...(await liveOffer(ctx.db, company.id))
			},
			idleSeconds: company.idleSeconds,
			cashiers: people.map((c) => ({
				id: c.id,
				name: c.name,
				canRefund: c.can_refund,
				pin: { salt: c.pin_salt, verifier: c.pin_verifier, iterations: c.pin_iterations }
			}))
		};
	}),

	/** This terminal's operations of the last 24 hours, newest first. */
	recentOperations: terminalProcedure.query(({ ctx }) =>
		listTerminalOperations(ctx.db, {
			companyId: ctx.companyId,
			deviceId: ctx.deviceId,
			hours: COUNTER_REFUND_MAX_AGE_HOURS,
			limit: 200
		})
	),

	/** The X-report of one of this terminal's shifts, as far as it has synced. */
	shiftReport: terminalProcedure.input(z.object({ shiftId: z.uuid() })).query(({ ctx, input }) =>
		shiftReport(ctx.db, {
			companyId: ctx.companyId,
			deviceId: ctx.deviceId,
			shiftId: input.shiftId
		})
	),

	/** «Вернуть» at the counter: online only, by a cashier allowed to, with their refund PIN. */
	refund: terminalProcedure
		.input(
			z.object({
				operationId: z.uuid(),
				cashierId: z.uuid(),
				pin: z.string().max(32),
				shiftId: z.uuid().nullable(),
				reason: userText({ min: 1, max: 500 }),
				amountKopecks: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional()
			})
		)
		.mutation(({ ctx, input }) =>
			refundAtCounter(ctx.db, {
				companyId: ctx.companyId,
				deviceId: ctx.deviceId,
				...input
			})
		)
});
