import { error } from '@sveltejs/kit';
import { callerFor } from '$server/caller';
import { monthCsv } from '$server/services/statements-csv';
import { translate } from '$lib/i18n';
import { csvResponse, statementCsvLabels } from '$lib/server/statement-csv';
import type { RequestHandler } from './$types';

/** Every company's statement of a month (optionally one partner's companies) as CSV. */
export const GET: RequestHandler = async ({ url, locals, getClientAddress }) => {
	const month = url.searchParams.get('month') ?? '';
	if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) error(400, 'month');
	const partner = Number(url.searchParams.get('partner'));
	const partnerId = Number.isInteger(partner) && partner > 0 ? partner : undefined;
	const view = await callerFor(locals, getClientAddress()).statements.month({ month, partnerId });
	const body = monthCsv(view, statementCsvLabels(locals.locale));
	const suffix = partnerId ? `-partner-${partnerId}` : '';
	return csvResponse(
		body,
		`${translate(locals.locale, 'statements.csv.fileName')}-${month}${suffix}.csv`
	);
};
