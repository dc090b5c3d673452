import { redirect } from '@sveltejs/kit';
import { invalidateSession, SESSION_COOKIE } from '$server/auth/session';
import type { RequestHandler } from './$types';

/** Ends the session server-side (the token dies with its row) and clears the cookie. */
export const POST: RequestHandler = async ({ locals, cookies }) => {
	if (locals.session) await invalidateSession(locals.db, locals.session.id);
	cookies.delete(SESSION_COOKIE, { path: '/' });
	redirect(303, '/login');
};
