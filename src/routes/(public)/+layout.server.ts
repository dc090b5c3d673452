import { sessionCookieRefused } from '$server/auth/session';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, url }) => ({
	locale: locals.locale,
	user: locals.user ? { email: locals.user.email, role: locals.user.role } : null,
	/** Login, sign-up and pairing cannot keep their cookie here: the pages say why. */
	insecureHost: sessionCookieRefused(url) ? url.host : null
});
