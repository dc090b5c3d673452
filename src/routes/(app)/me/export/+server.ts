import { error } from '@sveltejs/kit';
import { callerFor } from '$server/caller';
import type { RequestHandler } from './$types';

/** "Скачать мои данные": the customer's data as a JSON file (privacy.exportMine). */
export const GET: RequestHandler = async ({ locals, getClientAddress }) => {
	const data = await callerFor(locals, getClientAddress()).privacy.exportMine();
	if (!data) error(404);
	const day = data.exportedAt.toISOString().slice(0, 10);
	return new Response(JSON.stringify(data, null, 2), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="kopek-${data.profile.customerId}-${day}.json"`,
			'cache-control': 'no-store',
			'x-content-type-options': 'nosniff'
		}
	});
};
