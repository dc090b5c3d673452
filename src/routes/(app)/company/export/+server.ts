import { callerFor } from '$server/caller';
import { operationsCsvStream } from '$server/services/operations-csv';
import { filterFromParams } from '$lib/forms/operations-filter';
import { periodFromParams } from '$lib/forms/period';
import { translate } from '$lib/i18n';
import type { RequestHandler } from './$types';

const HEADER_KEYS = [
	'csv.n',
	'csv.name',
	'csv.id',
	'csv.date',
	'csv.amount',
	'csv.rate',
	'csv.cashback',
	'csv.kind',
	'csv.redeemed',
	'csv.terminal',
	'csv.cashier',
	'csv.campaign'
] as const;

/**
 * The period's operations as CSV for Russian Excel (BOM, `;`, decimal comma), streamed: each
 * batch is read through companies.exportOperations only when the client is ready for more.
 */
export const GET: RequestHandler = ({ url, locals, getClientAddress }) => {
	const period = periodFromParams(url.searchParams);
	const filter = filterFromParams(url.searchParams);
	const api = callerFor(locals, getClientAddress());
	const locale = locals.locale;
	const stream = operationsCsvStream(
		(cursor) => api.companies.exportOperations({ period, cursor, filter }),
		{
			header: HEADER_KEYS.map((key) => translate(locale, key)),
			payment: translate(locale, 'csv.payment'),
			refund: translate(locale, 'csv.refund'),
			expiry: translate(locale, 'program.expired'),
			cabinet: translate(locale, 'report.cabinet'),
			admin: translate(locale, 'report.admin'),
			campaign: true
		}
	);
	const label =
		period.kind === 'custom'
			? `${period.from}_${period.to}`
			: `${period.kind}${period.anchor ? `-${period.anchor}` : ''}`;
	const fileName = `${translate(locale, 'csv.fileName')}-${label}.csv`;
	return new Response(stream, {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="${fileName}"`,
			'X-Content-Type-Options': 'nosniff',
			'Cache-Control': 'private, no-store'
		}
	});
};
