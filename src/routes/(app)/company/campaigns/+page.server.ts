import { fail } from '@sveltejs/kit';
import { callerFor } from '$server/caller';
import { field } from '$lib/server/form-call';
import { percentToBp } from '$lib/domain/money';
import type { Actions, PageServerLoad } from './$types';

/** «Акции» (issue 22): the company's campaigns, a new one, a cancel. */
export const load: PageServerLoad = async ({ locals, getClientAddress }) => ({
	campaigns: await callerFor(locals, getClientAddress()).levers.campaigns()
});

/** "HH:MM" → minutes after midnight, or null. */
function minutesOf(text: string): number | null {
	const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
	if (!m) return null;
	const h = Number(m[1]);
	const min = Number(m[2]);
	return h < 24 && min < 60 ? h * 60 + min : null;
}

export const actions: Actions = {
	create: async ({ request, locals, getClientAddress }) => {
		const form = await request.formData();
		const rate = percentToBp(field(form, 'rate'));
		const fromMinute = minutesOf(field(form, 'from') || '00:00');
		const toMinute = minutesOf(field(form, 'to') || '00:00');
		const weekdays = form
			.getAll('weekday')
			.map((v) => Number(v))
			.filter((v) => Number.isInteger(v) && v >= 1 && v <= 64)
			.reduce((mask, bit) => mask | bit, 0);
		const values = {
			name: field(form, 'name'),
			rate: field(form, 'rate'),
			startsOn: field(form, 'startsOn'),
			endsOn: field(form, 'endsOn')
		};
		if (!rate.ok || rate.bp < 1) return fail(400, { create: { ...values, error: 'bad_rate' } });
		if (fromMinute === null || toMinute === null)
			return fail(400, { create: { ...values, error: 'bad_hours' } });
		if (weekdays === 0) return fail(400, { create: { ...values, error: 'no_weekdays' } });
		if (!/^\d{4}-\d{2}-\d{2}$/.test(values.startsOn) || !/^\d{4}-\d{2}-\d{2}$/.test(values.endsOn))
			return fail(400, { create: { ...values, error: 'bad_dates' } });
		const outcome = await callerFor(locals, getClientAddress()).levers.createCampaign({
			name: values.name.slice(0, 100),
			rateBp: rate.bp,
			startsOn: values.startsOn,
			endsOn: values.endsOn,
			weekdays,
			fromMinute,
			toMinute
		});
		if (!outcome.ok) return fail(400, { create: { ...values, error: outcome.error } });
		return { create: { done: true as const } };
	},
	cancel: async ({ request, locals, getClientAddress }) => {
		const id = Number(field(await request.formData(), 'id'));
		if (!Number.isSafeInteger(id)) return fail(400, { cancel: { ok: false } });
		return { cancel: await callerFor(locals, getClientAddress()).levers.cancelCampaign({ id }) };
	}
};
