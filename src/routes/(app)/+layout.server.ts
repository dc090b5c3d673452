import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

/** Every cabinet page needs a signed-in user; hooks.server.ts already checked the role. */
export const load: LayoutServerLoad = ({ locals, url }) => {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	return {
		locale: locals.locale,
		user: {
			email: locals.user.email,
			role: locals.user.role,
			companyId: locals.user.companyId,
			partnerId: locals.user.partnerId,
			customerId: locals.user.customerId
		}
	};
};
