import { fail } from '@sveltejs/kit';
import { callerFor } from '$server/caller';
import { publicOrigin } from '$server/http/public-origin';
import { field, formCall } from '$lib/server/form-call';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, getClientAddress, url }) => {
	const caller = callerFor(locals, getClientAddress());
	const [terminals, suggestedName, me, cashiers, idle] = await Promise.all([
		caller.devices.list(),
		caller.devices.suggestName(),
		caller.auth.me(),
		caller.cashiers.list(),
		caller.cashiers.idleLock()
	]);
	// Times in the company's zone, the same on the server and in the browser.
	return {
		terminals,
		suggestedName,
		cashiers,
		idleSeconds: idle.seconds,
		timeZone: me?.company?.timeZone ?? 'Europe/Moscow',
		/** Where the tablet opens /pair: never the owner's `localhost`. */
		pairing: publicOrigin(url.origin)
	};
};

export const actions: Actions = {
	/** «Подключить кассу»: a one-time code, shown once on the page that answers this post. */
	pair: async ({ request, locals, getClientAddress, url }) => {
		const name = field(await request.formData(), 'name').trim();
		if (!name) return fail(400, { pair: { error: 'name' as const } });
		const outcome = await formCall(() =>
			callerFor(locals, getClientAddress()).devices.createPairingCode({ name })
		);
		if ('status' in outcome) return fail(400, { pair: { error: 'name' as const } });
		return {
			pair: {
				name,
				code: outcome.code,
				expiresAt: outcome.expiresAt.toISOString(),
				link: `${publicOrigin(url.origin).origin}/pair?code=${outcome.code}`
			}
		};
	},

	revoke: async ({ request, locals, getClientAddress }) => {
		const form = await request.formData();
		const mode = field(form, 'mode') === 'reject_unsent' ? 'reject_unsent' : 'accept_before';
		const outcome = await formCall(() =>
			callerFor(locals, getClientAddress()).devices.revoke({
				deviceId: field(form, 'deviceId'),
				mode
			})
		);
		if ('status' in outcome || !outcome.ok) return fail(400, { revoke: { ok: false } });
		return { revoke: { ok: true } };
	},

	/** «Переименовать»: any till, a paired terminal or an owner login's. */
	rename: async ({ request, locals, getClientAddress }) => {
		const form = await request.formData();
		const deviceId = field(form, 'deviceId');
		const outcome = await formCall(() =>
			callerFor(locals, getClientAddress()).devices.rename({ deviceId, name: field(form, 'name') })
		);
		if ('status' in outcome || !outcome.ok) return fail(400, { rename: { ok: false, deviceId } });
		return { rename: { ok: true, deviceId } };
	},

	addCashier: async ({ request, locals, getClientAddress }) => {
		const form = await request.formData();
		const refundPin = field(form, 'refundPin');
		const outcome = await formCall(() =>
			callerFor(locals, getClientAddress()).cashiers.create({
				name: field(form, 'name'),
				pin: field(form, 'pin'),
				active: true,
				canRefund: form.get('canRefund') === 'on',
				...(refundPin === '' ? {} : { refundPin })
			})
		);
		if ('status' in outcome) return fail(400, { cashier: { error: true, id: null } });
		return { cashier: { saved: true, id: outcome.id } };
	},

	updateCashier: async ({ request, locals, getClientAddress }) => {
		const form = await request.formData();
		const pin = field(form, 'pin');
		const refundPin = field(form, 'refundPin');
		const id = field(form, 'cashierId');
		const outcome = await formCall(() =>
			callerFor(locals, getClientAddress()).cashiers.update({
				cashierId: id,
				name: field(form, 'name'),
				active: form.get('active') === 'on',
				canRefund: form.get('canRefund') === 'on',
				pin: pin === '' ? undefined : pin,
				refundPin: refundPin === '' ? undefined : refundPin
			})
		);
		if ('status' in outcome || !outcome.ok) return fail(400, { cashier: { error: true, id } });
		return { cashier: { saved: true, id } };
	},

	idle: async ({ request, locals, getClientAddress }) => {
		const seconds = Number(field(await request.formData(), 'seconds'));
		const outcome = await formCall(() =>
			callerFor(locals, getClientAddress()).cashiers.setIdleLock({ seconds })
		);
		if ('status' in outcome) return fail(400, { idle: { error: true } });
		return { idle: { saved: true } };
	}
};
