import { z } from 'zod';
import { userText } from '../../src/lib/domain/text';
import {
	createIntegrationKey,
	listIntegrationKeys,
	revokeIntegrationKey
} from '../services/integration-keys';
import { companyProcedure, createRouter, operatorProcedure } from '../trpc';

/**
 * «Интеграции» (issue 20, SPEC C13): a company's integration keys for its tills. The admin
 * creates (the secret is answered once), lists and revokes them; the operator sees each
 * company's. The keys themselves reach only /api/v1 (server/http/api-v1), never a procedure.
 */
export const integrationsRouter = createRouter({
	list: companyProcedure.query(({ ctx }) => listIntegrationKeys(ctx.db, ctx.companyId)),
	create: companyProcedure
		.input(z.object({ name: userText({ min: 1, max: 100 }), terminalId: z.uuid().nullish() }))
		.mutation(({ ctx, input }) =>
			createIntegrationKey(ctx.db, {
				companyId: ctx.companyId,
				name: input.name,
				terminalId: input.terminalId ?? null,
				userId: ctx.user.id
			})
		),
	revoke: companyProcedure.input(z.object({ keyId: z.uuid() })).mutation(({ ctx, input }) =>
		revokeIntegrationKey(ctx.db, {
			companyId: ctx.companyId,
			keyId: input.keyId,
			userId: ctx.user.id
		})
	),
	operatorList: operatorProcedure
		.input(z.object({ companyId: z.number().int().positive() }))
		.query(({ ctx, input }) => listIntegrationKeys(ctx.db, input.companyId))
});
