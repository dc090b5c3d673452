import { redirect } from '@sveltejs/kit';
import { isLocale, LOCALE_COOKIE } from '$lib/i18n';
import { safeNextPath } from '$lib/cabinets';
import type { RequestHandler } from './$types';

/** Switches the interface language: kept on the account when signed in, in a cookie always. */
export const POST: RequestHandler = async ({ request, locals, cookies }) => {
	const form = await request.formData();
	const locale = form.get('locale');
	if (isLocale(locale)) {
		cookies.set(LOCALE_COOKIE, locale, {
			path: '/',
			httpOnly: false,
			sameSite: 'lax',
			maxAge: 60 * 60 * 24 * 365
		});
		if (locals.user)
			await locals.db
				.updateTable('users')
				.set({ locale })
				.where('id', '=', locals.user.id)
				.execute();
	}
	redirect(303, safeNextPath(String(form.get('next') ?? ''), '/'));
};
