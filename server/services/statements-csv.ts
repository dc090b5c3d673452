import { kopecksToDecimalString } from '../../src/lib/domain/money';
import type { StatementFigures } from '../../src/lib/domain/settlement';
import { BOM, csvText } from './operations-csv';
import type { CompanyMonthLine } from './statements-month';
import type { Statement } from './statements';

/** Column titles and words the statement CSVs need, in the reader's language. */
export interface StatementCsvLabels {
	section: string;
	company: string;
	partner: string;
	status: string;
	/** Figure columns: operations, payments, refunds, turnover, accrued, reversed, redeemed, redemptions reversed, net. */
	figures: readonly string[];
	payer: string;
	sha: string;
	monthName(month: string): string;
	current(monthName: string): string;
	late(monthName: string): string;
	lateTotal: string;
	total: string;
	/** Issue 22's figures, shown apart from the net: their row titles. */
	apart: {
		campaign: string;
		expired: string;
		pending: string;
		pendingAtClose: string;
		released: string;
	};
	payerText(statement: Pick<Statement, 'payer' | 'total'>): string;
	statusText(statement: Pick<Statement, 'status' | 'closedAt' | 'timeZone'>): string;
}

const SEPARATOR = ';';
const line = (cells: readonly string[]) => cells.join(SEPARATOR) + '\r\n';
const money = (k: number) => kopecksToDecimalString(k, ',');

function figureCells(f: StatementFigures): string[] {
	return [
		String(f.operations),
		String(f.payments),
		String(f.refunds),
		money(f.turnoverKopecks),
		money(f.accruedKopecks),
		money(f.reversedKopecks),
		money(f.redeemedKopecks),
		money(f.redemptionsReversedKopecks),
		money(f.netKopecks)
	];
}

/**
 * Issue 22's figures of a statement's total, apart from the net, as [title, kopecks or null]:
 * the campaign part, expired cashback, pending (now, or at the close) and released. Null: the
 * statement was closed before the figure existed.
 */
function apartFigures(statement: Statement, labels: StatementCsvLabels): [string, number | null][] {
	const a = labels.apart;
	return [
		[a.campaign, statement.total.campaignKopecks ?? null],
		[a.expired, statement.total.expiredKopecks ?? null],
		[
			statement.status === 'closed' ? a.pendingAtClose : a.pending,
			statement.pendingKopecks ?? null
		],
		[a.released, statement.releasedKopecks ?? null]
	];
}

/**
 * One company's statement as CSV for Russian Excel (BOM, `;`, decimal comma, texts
 * neutralised): the month's own section, each late section, the late subtotal, the total,
 * then who pays whom, the status and (closed) the SHA-256.
 */
export function statementCsv(statement: Statement, labels: StatementCsvLabels): string {
	const rows = [line([csvText(labels.section), ...labels.figures.map(csvText)])];
	rows.push(
		line([
			csvText(labels.current(labels.monthName(statement.month))),
			...figureCells(statement.current)
		])
	);
	for (const late of statement.late) {
		rows.push(
			line([csvText(labels.late(labels.monthName(late.month))), ...figureCells(late.figures)])
		);
	}
	if (statement.late.length > 0) {
		rows.push(line([csvText(labels.lateTotal), ...figureCells(statement.lateTotal)]));
	}
	rows.push(line([csvText(labels.total), ...figureCells(statement.total)]));
	for (const [title, kopecks] of apartFigures(statement, labels))
		if (kopecks !== null) rows.push(line([csvText(title), money(kopecks)]));
	rows.push(line([csvText(labels.payer), csvText(labels.payerText(statement))]));
	rows.push(line([csvText(labels.status), csvText(labels.statusText(statement))]));
	if (statement.sha256) rows.push(line([csvText(labels.sha), statement.sha256]));
	return BOM + rows.join('');
}

/** The operator's month of all companies as CSV: one line per company, then the totals. */
export function monthCsv(
	view: { lines: CompanyMonthLine[]; totals: StatementFigures },
	labels: StatementCsvLabels & { totalRow: string }
): string {
	const rows = [
		line(
			[
				'ID',
				labels.company,
				labels.partner,
				labels.status,
				...labels.figures,
				labels.apart.campaign,
				labels.apart.expired,
				labels.apart.pendingAtClose,
				labels.apart.released,
				labels.payer,
				labels.sha
			].map(csvText)
		)
	];
	for (const l of view.lines) {
		rows.push(
			line([
				String(l.companyId),
				csvText(l.companyName),
				String(l.partnerId),
				csvText(labels.statusText(l.statement)),
				...figureCells(l.statement.total),
				...apartFigures(l.statement, labels).map(([, k]) => (k === null ? '' : money(k))),
				csvText(labels.payerText(l.statement)),
				l.statement.sha256 ?? ''
			])
		);
	}
	const sum = (pick: (st: Statement) => number | undefined) =>
		money(view.lines.reduce((n, l) => n + (pick(l.statement) ?? 0), 0));
	rows.push(
		line([
			'',
			csvText(labels.totalRow),
			'',
			'',
			...figureCells(view.totals),
			money(view.totals.campaignKopecks ?? 0),
			money(view.totals.expiredKopecks ?? 0),
			sum((st) => st.pendingKopecks),
			sum((st) => st.releasedKopecks),
			'',
			''
		])
	);
	return BOM + rows.join('');
}
