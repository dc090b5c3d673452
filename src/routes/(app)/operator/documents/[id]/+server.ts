import { error } from '@sveltejs/kit';
import { callerFor } from '$server/caller';
import { documentResponse } from '$lib/server/document-response';
import { formCall } from '$lib/server/form-call';
import type { RequestHandler } from './$types';

/** An operator opens any company's document for the review. */
export const GET: RequestHandler = async ({ params, locals, getClientAddress }) => {
	const doc = await formCall(() =>
		callerFor(locals, getClientAddress()).operator.document({ id: params.id })
	);
	if (!doc || 'status' in doc) error(404, 'Not found');
	return documentResponse(doc);
};
