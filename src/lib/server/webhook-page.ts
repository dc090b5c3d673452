import { fail, type RequestEvent } from '@sveltejs/kit';
import { callerFor } from '$server/caller';
import { field, formCall } from '$lib/server/form-call';

/** Whose webhooks a page manages: a company's, or the operator's platform endpoints. */
export type WebhookScope = 'company' | 'platform';

function api(event: RequestEvent, scope: WebhookScope) {
	const caller = callerFor(event.locals, event.getClientAddress());
	return scope === 'company' ? caller.webhooks : caller.platformWebhooks;
}

const STATUSES = ['pending', 'delivered', 'failed'] as const;

/** The page's data: endpoints, and the delivery log of the one chosen (?endpoint=…). */
export async function loadWebhooks(event: RequestEvent, scope: WebhookScope) {
	const { endpoints, events } = await api(event, scope).list();
	const chosen = event.url.searchParams.get('endpoint');
	const endpoint = endpoints.find((e) => e.id === chosen) ?? null;
	const type = event.url.searchParams.get('type') || undefined;
	const statusParam = event.url.searchParams.get('status');
	const status = STATUSES.find((s) => s === statusParam);
	const log = endpoint
		? await api(event, scope).log({ endpointId: endpoint.id, type, status })
		: null;
	return {
		endpoints,
		events: [...events],
		chosen: endpoint,
		log,
		filter: { type: type ?? '', status: status ?? '' }
	};
}

/** The page's form actions, the same for both scopes. */
export function webhookActions(scope: WebhookScope) {
	return {
		create: async (event: RequestEvent) => {
			const form = await event.request.formData();
			const outcome = await formCall(() =>
				api(event, scope).create({
					url: field(form, 'url'),
					description: field(form, 'description'),
					events: form.getAll('events').filter((e): e is string => typeof e === 'string')
				})
			);
			if ('status' in outcome) return fail(400, { create: { error: 'invalid_url' as const } });
			if (!outcome.ok) return fail(400, { create: { error: outcome.error } });
			return { create: { id: outcome.id, secret: outcome.secret } };
		},
		rotate: async (event: RequestEvent) => {
			const endpointId = field(await event.request.formData(), 'endpointId');
			const outcome = await formCall(() => api(event, scope).rotate({ endpointId }));
			if (!outcome || 'status' in outcome) return fail(400, { rotate: { ok: false } });
			return { rotate: { ok: true, endpointId, secret: outcome.secret } };
		},
		toggle: async (event: RequestEvent) => {
			const form = await event.request.formData();
			const outcome = await formCall(() =>
				api(event, scope).setEnabled({
					endpointId: field(form, 'endpointId'),
					enabled: field(form, 'enabled') === 'true'
				})
			);
			if (outcome !== true) return fail(400, { toggle: { ok: false } });
			return { toggle: { ok: true } };
		},
		remove: async (event: RequestEvent) => {
			const endpointId = field(await event.request.formData(), 'endpointId');
			const outcome = await formCall(() => api(event, scope).remove({ endpointId }));
			if (outcome !== true) return fail(400, { remove: { ok: false } });
			return { remove: { ok: true } };
		},
		test: async (event: RequestEvent) => {
			const endpointId = field(await event.request.formData(), 'endpointId');
			const outcome = await formCall(() => api(event, scope).sendTest({ endpointId }));
			if (typeof outcome !== 'string') return fail(400, { test: { ok: false } });
			return { test: { ok: true, endpointId } };
		},
		resend: async (event: RequestEvent) => {
			const form = await event.request.formData();
			const outcome = await formCall(() =>
				api(event, scope).resend({
					endpointId: field(form, 'endpointId'),
					deliveryId: Number(field(form, 'deliveryId'))
				})
			);
			if (outcome !== true) return fail(400, { resend: { ok: false } });
			return { resend: { ok: true } };
		}
	};
}
