import { z } from 'zod';
import { userText } from '../../src/lib/domain/text';
import { MAX_SYNC_BATCH } from '../services/payment-sync';
import { coalescedSync } from '../services/sync-coalescer';
import { recordSync } from '../observability/metrics';
import { injectSyncFault } from '../testing/faults';
import { plainJsonOutput } from '../transformer';
import { counterSyncProcedure, createRouter } from '../trpc';
import { throttledToHttp } from './lookup-throttled';
import { redemptionProcedures } from './redemption';

/** Integer kopecks; the business range is checked per operation (`amount_out_of_range`). */
const kopecks = z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);

const syncInput = z.object({
	deviceId: z.uuid(),
	operations: z
		.array(
			z.object({
				id: z.uuid(),
				customerId: userText({ min: 1, max: 32 }),
				amountKopecks: kopecks,
				occurredAt: z.iso.datetime({ offset: true }),
				cashierId: z.uuid().nullish(),
				shiftId: z.uuid().nullish()
			})
		)
		.min(1)
		.max(MAX_SYNC_BATCH)
});

export const paymentsRouter = createRouter({
	/**
	 * The counter's outbox pushes here: one outcome per operation, in order (SPEC.md, "The
	 * sync contract"). Malformed input fails the whole call and stores nothing.
	 */
	sync: counterSyncProcedure
		.input(syncInput)
		.use(injectSyncFault)
		.mutation(async ({ ctx, input }) =>
			// The answer is plain JSON by construction (strings, numbers; no Date): sent without
			// superjson's walk (server/transformer.ts).
			plainJsonOutput(
				recordSync(
					await coalescedSync(ctx.db, {
						companyId: ctx.companyId,
						deviceId: input.deviceId,
						operations: input.operations,
						createdBy: ctx.counter.userId,
						sender: { terminal: ctx.counter.kind === 'terminal' ? ctx.counter.terminal : null }
					}).catch(throttledToHttp)
				)
			)
		),

	...redemptionProcedures
});
