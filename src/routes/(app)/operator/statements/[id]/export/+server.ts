import { error } from '@sveltejs/kit';
import { callerFor } from '$server/caller';
import { statementCsv } from '$server/services/statements-csv';
import { translate } from '$lib/i18n';
import { csvResponse, statementCsvLabels } from '$lib/server/statement-csv';
import type { RequestHandler } from './$types';

/** A company's statement of a month as CSV, for the operator. */
export const GET: RequestHandler = async ({ url, params, locals, getClientAddress }) => {
	const month = url.searchParams.get('month') ?? '';
	const companyId = Number(params.id);
	if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) error(400, 'month');
	if (!Number.isInteger(companyId) || companyId <= 0 || companyId > 2_147_483_647) error(404);
	const statement = await callerFor(locals, getClientAddress()).statements.companyStatement({
		companyId,
		month
	});
	if (!statement) error(404);
	return csvResponse(
		statementCsv(statement, statementCsvLabels(locals.locale)),
		`${translate(locals.locale, 'statements.csv.fileName')}-${companyId}-${month}.csv`
	);
};
