import { redirect } from '@sveltejs/kit';
import { cabinetPath } from '$lib/cabinets';
import type { PageServerLoad } from './$types';

/** The root sends everyone where they belong: their cabinet, or the login. */
export const load: PageServerLoad = ({ locals }) => {
	redirect(303, locals.user ? cabinetPath(locals.user.role) : '/login');
};
