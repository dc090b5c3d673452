import type { Kysely } from 'kysely';
import { addFigures, type StatementFigures } from '../../src/lib/domain/settlement';
import type { Database } from '../db/types';
import { holdFiguresOfCompanies } from '../repositories/statement-holds';
import * as repo from '../repositories/statements';
import {
	buildStatement,
	closeMonth,
	frozenStatement,
	toMonthKey,
	toMonthStart,
	type MonthKey,
	type Statement
} from './statements';

/** One company's line in the operator's month view. */
export interface CompanyMonthLine {
	companyId: number;
	companyName: string;
	partnerId: number;
	companyStatus: string;
	statement: Statement;
	closable: boolean;
}

/**
 * Every company's statement of one month (frozen or live), optionally of one partner's
 * companies, with the totals: four queries whatever the number of companies (the open
 * statements' hold figures in one, by the definition a company's own view uses).
 */
export async function monthOfAllCompanies(
	db: Kysely<Database>,
	input: { month: MonthKey; partnerId?: number }
): Promise<{ lines: CompanyMonthLine[]; totals: StatementFigures }> {
	const monthStart = toMonthStart(input.month);
	const [books, stored, sections] = await Promise.all([
		repo.listBooks(db),
		repo.listStoredOfMonth(db, monthStart),
		repo.sectionsOfAllCompanies(db, monthStart)
	]);
	const storedBy = new Map(stored.map((s) => [s.companyId, s]));
	const shown = books.filter((b) => {
		if (input.partnerId !== undefined && b.inviterPartnerId !== input.partnerId) return false;
		// A company that did not exist yet, or never could take payments, has no statement.
		return (
			storedBy.has(b.companyId) ||
			sections.has(b.companyId) ||
			(b.status !== 'pending' && toMonthKey(b.firstMonth) <= input.month)
		);
	});
	// Only an open statement computes its hold figures (a closed one has them frozen).
	const holds = await holdFiguresOfCompanies(db, {
		month: monthStart,
		companies: shown
			.filter((b) => !storedBy.has(b.companyId))
			.map((b) => ({ companyId: b.companyId, timeZone: b.timeZone }))
	});
	const lines = shown.map((b): CompanyMonthLine => {
		const frozenOne = storedBy.get(b.companyId);
		const statement: Statement = frozenOne
			? frozenStatement(frozenOne)
			: {
					...buildStatement(b, input.month, sections.get(b.companyId) ?? []),
					status: 'open',
					closedAt: null,
					sha256: null,
					...holds.get(b.companyId)
				};
		return {
			companyId: b.companyId,
			companyName: b.name,
			partnerId: b.inviterPartnerId,
			companyStatus: b.status,
			statement,
			closable: !frozenOne && input.month < toMonthKey(b.currentMonth)
		};
	});
	return { lines, totals: addFigures(...lines.map((l) => l.statement.total)) };
}

/** Closes a month for every company of the view (those whose month has ended). */
export async function closeMonthForAll(
	db: Kysely<Database>,
	input: { month: MonthKey; partnerId?: number; closedBy: string | null }
): Promise<{ closed: number; skipped: number }> {
	const { lines } = await monthOfAllCompanies(db, input);
	let closed = 0;
	let skipped = 0;
	for (const line of lines) {
		if (!line.closable) {
			skipped++;
			continue;
		}
		const outcome = await closeMonth(db, {
			companyId: line.companyId,
			month: input.month,
			closedBy: input.closedBy
		});
		if (outcome.ok) closed++;
		else skipped++;
	}
	return { closed, skipped };
}
