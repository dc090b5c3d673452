import { fail } from '@sveltejs/kit';
import { callerFor } from '$server/caller';
import { field } from '$lib/server/form-call';
import type { Actions, PageServerLoad } from './$types';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Last month in Moscow time: the month an operator usually settles. */
function lastMonth(): string {
	const now = new Intl.DateTimeFormat('en-CA', {
		timeZone: 'Europe/Moscow',
		year: 'numeric',
		month: '2-digit'
	}).format(new Date());
	const [y, m] = now.split('-').map(Number) as [number, number];
	return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

function partnerOf(value: string | null): number | undefined {
	const n = Number(value);
	return Number.isInteger(n) && n > 0 && n < 2_147_483_648 ? n : undefined;
}

export const load: PageServerLoad = async ({ locals, getClientAddress, url }) => {
	const asked = url.searchParams.get('month') ?? '';
	const month = MONTH.test(asked) ? asked : lastMonth();
	const partnerId = partnerOf(url.searchParams.get('partner'));
	const api = callerFor(locals, getClientAddress());
	const [view, partners] = await Promise.all([
		api.statements.month({ month, partnerId }),
		api.operator.partners()
	]);
	return { month, partnerId: partnerId ?? null, view, partners };
};

export const actions: Actions = {
	closeAll: async ({ request, locals, getClientAddress }) => {
		const form = await request.formData();
		const month = field(form, 'month');
		if (!MONTH.test(month)) return fail(400, { error: 'invalid' as const });
		const result = await callerFor(locals, getClientAddress()).statements.closeAll({
			month,
			partnerId: partnerOf(field(form, 'partner'))
		});
		return { closedAll: result };
	}
};
