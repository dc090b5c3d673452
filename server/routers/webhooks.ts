import { z } from 'zod';
import { getConfig } from '../config';
import { getSecretKey } from '../crypto/keys';
import * as repo from '../repositories/webhook-endpoints';
import * as service from '../services/webhook-endpoints';
import { companyProcedure, createRouter, operatorProcedure } from '../trpc';

const endpointId = z.string().uuid();
const create = z.object({
	url: z.string().trim().min(1).max(2000),
	description: z.string().max(500).default(''),
	events: z.array(z.string().max(100)).max(20)
});
const logFilter = z.object({
	endpointId,
	type: z.string().max(100).optional(),
	status: z.enum(['pending', 'delivered', 'failed']).optional()
});

type Procedure = typeof companyProcedure | typeof operatorProcedure;

/**
 * The same procedures for a company's endpoints (its events) and the operator's (platform
 * events): `scope` says whose (SPEC C14). Every door goes through services/webhook-endpoints.ts.
 */
function endpointsRouter(
	procedure: Procedure,
	scopeOf: (ctx: { user: { companyId: number | null } }) => number | null
) {
	return createRouter({
		list: procedure.query(async ({ ctx }) => {
			const scope = scopeOf(ctx);
			return {
				endpoints: await repo.listEndpoints(ctx.db, scope),
				events: service.allowedEvents(scope)
			};
		}),
		create: procedure
			.input(create)
			.mutation(({ ctx, input }) =>
				service.createEndpoint(
					ctx.db,
					getSecretKey(),
					{ scope: scopeOf(ctx), ...input },
					{ allowPrivate: getConfig().KOPEK_WEBHOOKS_ALLOW_PRIVATE }
				)
			),
		rotate: procedure.input(z.object({ endpointId })).mutation(({ ctx, input }) =>
			service.rotateEndpointSecret(ctx.db, getSecretKey(), {
				scope: scopeOf(ctx),
				endpointId: input.endpointId
			})
		),
		setEnabled: procedure
			.input(z.object({ endpointId, enabled: z.boolean() }))
			.mutation(({ ctx, input }) =>
				repo.setEnabled(ctx.db, scopeOf(ctx), input.endpointId, input.enabled)
			),
		remove: procedure
			.input(z.object({ endpointId }))
			.mutation(({ ctx, input }) => repo.deleteEndpoint(ctx.db, scopeOf(ctx), input.endpointId)),
		sendTest: procedure
			.input(z.object({ endpointId }))
			.mutation(({ ctx, input }) =>
				service.sendTestEvent(ctx.db, { scope: scopeOf(ctx), endpointId: input.endpointId })
			),
		log: procedure
			.input(logFilter)
			.query(({ ctx, input }) => service.deliveryLog(ctx.db, { scope: scopeOf(ctx), ...input })),
		resend: procedure
			.input(z.object({ endpointId, deliveryId: z.number().int().positive() }))
			.mutation(({ ctx, input }) => service.resend(ctx.db, { scope: scopeOf(ctx), ...input })),
		/** Endpoints the worker disabled (410, failing 5 days): the cabinet warns about them. */
		autoDisabled: procedure.query(({ ctx }) => repo.listAutoDisabled(ctx.db, scopeOf(ctx)))
	});
}

/** A company admin's endpoints (its own events). */
export const webhooksRouter = endpointsRouter(companyProcedure, (ctx) => ctx.user.companyId);
/** The operator's endpoints (platform events). */
export const platformWebhooksRouter = endpointsRouter(operatorProcedure, () => null);
