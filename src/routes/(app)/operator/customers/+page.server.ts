import { TRPCError } from '@trpc/server';
import { callerFor } from '$server/caller';
import type { PageServerLoad } from './$types';

/** A customer's consents (found by ID, phone or e-mail) and the erasure log. */
export const load: PageServerLoad = async ({ url, locals, getClientAddress }) => {
	const api = callerFor(locals, getClientAddress());
	const query = (url.searchParams.get('q') ?? '').trim().slice(0, 300);
	const [customer, erasures] = await Promise.all([
		// A query the text rule refuses (control characters) finds nobody.
		query === ''
			? Promise.resolve(undefined)
			: api.privacy.customer({ query }).catch((e: unknown) => {
					if (e instanceof TRPCError && e.code === 'BAD_REQUEST') return null;
					throw e;
				}),
		api.privacy.erasures()
	]);
	return { query, customer, erasures };
};
