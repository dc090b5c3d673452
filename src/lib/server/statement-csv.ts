import { formatRubles } from '$lib/domain/money';
import { intlLocale, translate, type Locale } from '$lib/i18n';
import { formatMoment, formatMonth } from '$lib/components/statements/format';
import type { StatementCsvLabels } from '$server/services/statements-csv';

/** The statement CSVs' words in the reader's language. */
export function statementCsvLabels(locale: Locale): StatementCsvLabels & { totalRow: string } {
	const tr = (key: string, params?: Record<string, string | number>) =>
		translate(locale, key, params);
	const intl = intlLocale(locale);
	return {
		section: tr('statements.csv.section'),
		company: tr('statements.company'),
		partner: tr('statements.partner'),
		status: tr('statements.status'),
		figures: [
			'statements.operations',
			'statements.payments',
			'statements.refunds',
			'statements.turnover',
			'statements.accrued',
			'statements.reversed',
			'statements.redeemed',
			'statements.redemptionsReversed',
			'statements.net'
		].map((key) => tr(key)),
		apart: {
			campaign: tr('program.campaign.part'),
			expired: tr('program.expired'),
			pending: tr('statements.pending'),
			pendingAtClose: tr('statements.pendingAtClose'),
			released: tr('statements.released')
		},
		payer: tr('statements.csv.payer'),
		sha: tr('statements.sha'),
		monthName: (month) => formatMonth(month, intl),
		current: (month) => tr('statements.section.current', { month }),
		late: (month) => tr('statements.section.late', { month }),
		lateTotal: tr('statements.lateTotal'),
		total: tr('statements.total'),
		totalRow: tr('statements.totalRow'),
		payerText: (s) =>
			tr(`statements.payer.${s.payer}`, {
				amount: formatRubles(Math.abs(s.total.netKopecks), intl)
			}),
		statusText: (s) =>
			s.status === 'closed' && s.closedAt
				? tr('statements.closedAt', { date: formatMoment(s.closedAt, intl, s.timeZone) })
				: tr('statements.status.open')
	};
}

/** A CSV download response. */
export function csvResponse(body: string, fileName: string): Response {
	return new Response(body, {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="${fileName}"`,
			'X-Content-Type-Options': 'nosniff',
			'Cache-Control': 'private, no-store'
		}
	});
}
