import { z } from 'zod';
import { userText } from '../../src/lib/domain/text';
import { TERMINAL_COOKIE, terminalCookieOptions } from '../auth/terminal';
import { listDevicesForCompany, renameDevice } from '../repositories/devices';
import { listOpenPairingCodes } from '../repositories/terminals';
import { createPairingCode, pairTerminal } from '../services/terminal-pairing';
import { registerTill, retireTill, suggestTillName } from '../services/tills';
import { companyProcedure, createRouter, publicProcedure } from '../trpc';

const terminalName = userText({ min: 1, max: 100 });

export const devicesRouter = createRouter({
	/**
	 * A counter registers itself once per browser profile, by a name the cashier gives, or
	 * without one as the next free «Касса N».
	 */
	register: companyProcedure
		.input(z.object({ name: terminalName.optional() }))
		.mutation(async ({ ctx, input }) => {
			const device = await registerTill(ctx.db, { companyId: ctx.companyId, name: input.name });
			return { deviceId: device.id, name: device.name };
		}),

	/** The name offered for the next till: the first «Касса N» no till of the company has. */
	suggestName: companyProcedure.query(({ ctx }) => suggestTillName(ctx.db, ctx.companyId)),

	/** «Переименовать»: any till of the company, a paired terminal or the admin's own. */
	rename: companyProcedure
		.input(z.object({ deviceId: z.uuid(), name: terminalName }))
		.mutation(async ({ ctx, input }) => {
			const ok = await renameDevice(ctx.db, { companyId: ctx.companyId, ...input });
			return ok ? { ok: true as const } : { ok: false as const, error: 'not_found' as const };
		}),

	/** The company's terminals with their last sync, pairing and revocation. */
	list: companyProcedure.query(async ({ ctx }) => {
		const devices = await listDevicesForCompany(ctx.db, ctx.companyId);
		return devices.map((d) => ({
			id: d.id,
			name: d.name,
			createdAt: d.created_at,
			lastSyncAt: d.last_sync_at,
			paired: d.credential_hash !== null,
			pairedAt: d.paired_at,
			revokedAt: d.revoked_at,
			revokeMode: d.revoke_mode
		}));
	}),

	/** «Кассы»: a one-time code (8 characters, 15 minutes) that makes a tablet a terminal. */
	createPairingCode: companyProcedure
		.input(z.object({ name: terminalName }))
		.mutation(({ ctx, input }) =>
			createPairingCode(ctx.db, {
				companyId: ctx.companyId,
				name: input.name,
				createdBy: ctx.user.id,
				now: ctx.clock?.() ?? new Date()
			})
		),

	/** Codes created and not used yet (the code itself is shown only once, at creation). */
	openPairingCodes: companyProcedure.query(({ ctx }) =>
		listOpenPairingCodes(ctx.db, ctx.companyId, ctx.clock?.() ?? new Date())
	),

	/**
	 * `/pair` (no login): a tablet becomes the code's terminal and gets its credential cookie.
	 * Throttled per address; an unknown, used or expired code is one and the same answer.
	 */
	pair: publicProcedure
		.input(z.object({ code: z.string().max(32) }))
		.mutation(async ({ ctx, input }) => {
			const now = ctx.clock?.() ?? new Date();
			const outcome = await pairTerminal(ctx.db, { code: input.code, ip: ctx.ip, now });
			if (!outcome.ok) return outcome;
			const url = ctx.request ? new URL(ctx.request.url) : new URL('http://localhost/');
			ctx.setCookie?.(TERMINAL_COOKIE, outcome.token, terminalCookieOptions(url, now));
			return {
				ok: true as const,
				deviceId: outcome.deviceId,
				name: outcome.name,
				companyName: outcome.companyName,
				/** Returned for server-side callers (tests); browsers get it as an HttpOnly cookie. */
				...(ctx.setCookie ? {} : { token: outcome.token })
			};
		}),

	/**
	 * Retires a till. A paired terminal's credential ends: `accept_before`, what it took offline
	 * before now is still accepted when it syncs (a tablet retired in good order);
	 * `reject_unsent`, nothing it has not sent yet is accepted (a stolen tablet); later
	 * operations are always refused. The admin's own till is always retired in good order: its
	 * outbox still syncs under the admin's session (services/tills.ts).
	 */
	revoke: companyProcedure
		.input(z.object({ deviceId: z.uuid(), mode: z.enum(['accept_before', 'reject_unsent']) }))
		.mutation(async ({ ctx, input }) => {
			const ok = await retireTill(ctx.db, {
				companyId: ctx.companyId,
				deviceId: input.deviceId,
				mode: input.mode,
				now: ctx.clock?.() ?? new Date()
			});
			return ok ? { ok: true as const } : { ok: false as const, error: 'not_found' as const };
		})
});
