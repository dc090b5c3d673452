import { error } from '@sveltejs/kit';
import { callerFor } from '$server/caller';
import { documentResponse } from '$lib/server/document-response';
import { formCall } from '$lib/server/form-call';
import type { RequestHandler } from './$types';

/** A company downloads one of its own documents; another company's ID is simply not found. */
export const GET: RequestHandler = async ({ params, locals, getClientAddress }) => {
	const doc = await formCall(() =>
		callerFor(locals, getClientAddress()).companies.document({ id: params.id })
	);
	if (!doc || 'status' in doc) error(404, 'Not found');
	return documentResponse(doc);
};
