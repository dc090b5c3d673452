import { error } from '@sveltejs/kit';
import { callerFor } from '$server/caller';
import { statementCsv } from '$server/services/statements-csv';
import { translate } from '$lib/i18n';
import { csvResponse, statementCsvLabels } from '$lib/server/statement-csv';
import type { RequestHandler } from './$types';

/** The company's statement of a month as CSV for Russian Excel. */
export const GET: RequestHandler = async ({ url, locals, getClientAddress }) => {
	const month = url.searchParams.get('month') ?? '';
	if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) error(400, 'month');
	const statement = await callerFor(locals, getClientAddress()).statements.myStatement({ month });
	if (!statement) error(404);
	const body = statementCsv(statement, statementCsvLabels(locals.locale));
	return csvResponse(body, `${translate(locals.locale, 'statements.csv.fileName')}-${month}.csv`);
};
