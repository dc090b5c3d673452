import { z } from 'zod';
import { userText } from '../../src/lib/domain/text';
import { insertDevice, listDevicesForCompany } from '../repositories/devices';
import { companyProcedure, createRouter } from '../trpc';

export const devicesRouter = createRouter({
	/** A counter registers itself once, by a name the cashier gives ("Касса 1"). */
	register: companyProcedure
		.input(z.object({ name: userText({ min: 1, max: 100 }) }))
		.mutation(async ({ ctx, input }) => {
			const device = await insertDevice(ctx.db, { companyId: ctx.companyId, name: input.name });
			return { deviceId: device.id, name: device.name };
		}),

	/** The company's terminals with their last sync. */
	list: companyProcedure.query(async ({ ctx }) => {
		const devices = await listDevicesForCompany(ctx.db, ctx.companyId);
		return devices.map((d) => ({
			id: d.id,
			name: d.name,
			createdAt: d.created_at,
			lastSyncAt: d.last_sync_at
		}));
	})
});
