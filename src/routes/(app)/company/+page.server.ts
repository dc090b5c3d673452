import { fail } from '@sveltejs/kit';
import { callerFor } from '$server/caller';
import { field, formCall } from '$lib/server/form-call';
import type { Actions, PageServerLoad } from './$types';

/** Largest upload read into memory; the procedure checks again (and the content type). */
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export const load: PageServerLoad = async ({ locals, getClientAddress }) => {
	const api = callerFor(locals, getClientAddress());
	const [profile, review, webhooksOff] = await Promise.all([
		api.companies.profile(),
		api.companies.reviewStatus(),
		api.webhooks.autoDisabled()
	]);
	return {
		company: {
			name: profile.name,
			status: profile.status,
			rejectionReason: profile.rejectionReason,
			rateBp: profile.rateBp,
			city: profile.city,
			timeZone: profile.timeZone
		},
		documents: review.documents,
		/** Webhook endpoints the worker disabled (410, or failing 5 days): SPEC C14 tells here. */
		webhooksOff: webhooksOff.map((e) => ({ url: e.url, reason: e.disabledReason }))
	};
};

export const actions: Actions = {
	/** One document per upload keeps every request under the server's 12 MB body limit. */
	upload: async ({ request, locals, getClientAddress }) => {
		const form = await request.formData();
		const file = form.get('file');
		if (!(file instanceof File) || file.name === '' || file.size === 0) {
			const name = file instanceof File ? file.name : '';
			return fail(400, { upload: { error: name ? 'empty' : 'missing', name } });
		}
		// Refused before reading it: a big file never sits in memory.
		if (file.size > MAX_UPLOAD_BYTES) {
			return fail(400, { upload: { error: 'too_large', name: file.name } });
		}
		const content = new Uint8Array(await file.arrayBuffer());
		const outcome = await formCall(() =>
			callerFor(locals, getClientAddress()).companies.uploadDocument({
				fileName: file.name,
				content
			})
		);
		if ('status' in outcome)
			return fail(400, { upload: { error: 'unsupported_type', name: file.name } });
		if (!outcome.ok) return fail(400, { upload: { error: outcome.error, name: file.name } });
		return { upload: { uploaded: outcome.document.fileName } };
	},

	delete: async ({ request, locals, getClientAddress }) => {
		const form = await request.formData();
		const outcome = await formCall(() =>
			callerFor(locals, getClientAddress()).companies.deleteDocument({ id: field(form, 'id') })
		);
		if ('status' in outcome || !outcome.ok) {
			return fail(400, { deleted: { error: 'status' in outcome ? 'not_found' : outcome.error } });
		}
		return { deleted: { ok: true } };
	}
};
