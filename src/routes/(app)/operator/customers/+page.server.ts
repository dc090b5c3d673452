import { callerFor } from '$server/caller';
import type { PageServerLoad } from './$types';

/** A customer's consents (found by ID, phone or e-mail) and the erasure log. */
export const load: PageServerLoad = async ({ url, locals, getClientAddress }) => {
	const api = callerFor(locals, getClientAddress());
	const query = (url.searchParams.get('q') ?? '').trim().slice(0, 300);
	const [customer, erasures] = await Promise.all([
		query === '' ? Promise.resolve(undefined) : api.privacy.customer({ query }),
		api.privacy.erasures()
	]);
	return { query, customer, erasures };
};
