import { fail } from '@sveltejs/kit';
import { callerFor } from '$server/caller';
import { field, formCall } from '$lib/server/form-call';
import type { Actions, PageServerLoad } from './$types';

/** «Интеграции» (issue 20, SPEC C13): the company's integration keys for its tills. */
export const load: PageServerLoad = async ({ locals, getClientAddress }) => {
	const caller = callerFor(locals, getClientAddress());
	const [keys, devices, me] = await Promise.all([
		caller.integrations.list(),
		caller.devices.list(),
		caller.auth.me()
	]);
	return {
		keys,
		terminals: devices
			.filter((d) => d.paired && !d.revokedAt)
			.map((d) => ({ id: d.id, name: d.name })),
		timeZone: me?.company?.timeZone ?? 'Europe/Moscow'
	};
};

export const actions: Actions = {
	/** «Создать ключ»: the secret is on the page that answers this post, and nowhere after. */
	create: async ({ request, locals, getClientAddress }) => {
		const form = await request.formData();
		const name = field(form, 'name').trim();
		if (!name) return fail(400, { create: { error: 'name' as const } });
		const terminalId = field(form, 'terminalId') || null;
		const outcome = await formCall(() =>
			callerFor(locals, getClientAddress()).integrations.create({ name, terminalId })
		);
		if ('status' in outcome) return fail(400, { create: { error: 'name' as const } });
		if (!outcome.ok) return fail(400, { create: { error: outcome.error } });
		return { create: { name: outcome.key.name, secret: outcome.key.secret } };
	},
	revoke: async ({ request, locals, getClientAddress }) => {
		const keyId = field(await request.formData(), 'keyId');
		const outcome = await formCall(() =>
			callerFor(locals, getClientAddress()).integrations.revoke({ keyId })
		);
		if ('status' in outcome || !outcome.ok) return fail(400, { revoke: { ok: false } });
		return { revoke: { ok: true } };
	}
};
