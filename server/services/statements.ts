import { recordEvent } from '../repositories/webhook-outbox';
import { holdFiguresOf } from '../repositories/statement-holds';
import { hash } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
	addFigures,
	canonicalJson,
	figuresOf,
	payerOf,
	ZERO_FIGURES,
	type Payer,
	type StatementFigures
} from '../../src/lib/domain/settlement';
import type { Database } from '../db/types';
import * as repo from '../repositories/statements';
import type { CompanyBooks, MonthStart, SectionSums } from '../repositories/statements';

/** A calendar month, YYYY-MM. */
export type MonthKey = string;
export const MONTH_KEY = /^\d{4}-(0[1-9]|1[0-2])$/;

export const toMonthStart = (month: MonthKey): MonthStart => `${month}-01`;
export const toMonthKey = (start: MonthStart): MonthKey => start.slice(0, 7);

/** The month after (or, with -1, before) a month. */
export function shiftMonth(month: MonthKey, by: number): MonthKey {
	const [y, m] = month.split('-').map(Number) as [number, number];
	const index = y * 12 + (m - 1) + by;
	return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The late operations of one earlier month, accounted in this statement. */
export interface LateSection {
	month: MonthKey;
	figures: StatementFigures;
}

/** A statement: frozen (closed) or live (open). */
export interface Statement {
	companyId: number;
	companyName: string;
	timeZone: string;
	month: MonthKey;
	status: 'open' | 'closed';
	/** ISO 8601; null while open. */
	closedAt: string | null;
	/** The operations of the month itself. */
	current: StatementFigures;
	/** «поздние операции за <месяц>»: operations of closed months recorded after they closed. */
	late: LateSection[];
	lateTotal: StatementFigures;
	total: StatementFigures;
	payer: Payer;
	/** SHA-256 (hex) of the canonical content; null while open. */
	sha256: string | null;
	/**
	 * Issue 22 (repositories/statement-holds.ts): cashback accounted through the month still on
	 * hold — at the close (frozen) or now (open) — and cashback whose hold ended in the month.
	 * Absent from statements closed before them.
	 */
	pendingKopecks?: number;
	releasedKopecks?: number;
}

/** What the hash covers: everything but the status and the hash itself. */
type StatementContent = Omit<Statement, 'status' | 'sha256'> & { version: 1 };

export function buildStatement(
	books: Pick<CompanyBooks, 'companyId' | 'name' | 'timeZone'>,
	month: MonthKey,
	sections: readonly SectionSums[]
): Omit<Statement, 'status' | 'closedAt' | 'sha256'> {
	let current = ZERO_FIGURES;
	const late: LateSection[] = [];
	for (const section of sections) {
		const figures = figuresOf(section.sums);
		if (toMonthKey(section.dayMonth) === month) current = figures;
		else late.push({ month: toMonthKey(section.dayMonth), figures });
	}
	late.sort((a, b) => (a.month < b.month ? -1 : 1));
	const lateTotal = addFigures(...late.map((l) => l.figures));
	const total = addFigures(current, lateTotal);
	return {
		companyId: books.companyId,
		companyName: books.name,
		timeZone: books.timeZone,
		month,
		current,
		late,
		lateTotal,
		total,
		payer: payerOf(total.netKopecks)
	};
}

export function frozenStatement(stored: repo.StoredStatement): Statement {
	const content = JSON.parse(stored.content) as StatementContent;
	const { version: _version, ...rest } = content;
	return { ...rest, status: 'closed', sha256: stored.sha256 };
}

/** SHA-256 of a statement's canonical content. */
export function statementHash(content: string): string {
	return hash('sha256', content, 'hex');
}

/** A month's statement of a company: the frozen one when closed, else live from the summaries. */
export async function getStatement(
	db: Kysely<Database>,
	companyId: number,
	month: MonthKey
): Promise<Statement | null> {
	// One round trip's worth of time: the three reads go out together.
	const [books, [stored], sections] = await Promise.all([
		repo.getBooks(db, companyId),
		repo.listStored(db, companyId, toMonthStart(month)),
		repo.sectionsOf(db, companyId, [toMonthStart(month)])
	]);
	if (!books) return null;
	if (stored) return frozenStatement(stored);
	// Only an open statement computes its hold figures (a closed one has them frozen).
	const holds = await holdFiguresOf(db, {
		companyId,
		month: toMonthStart(month),
		timeZone: books.timeZone
	});
	return {
		...buildStatement(books, month, sections.get(toMonthStart(month)) ?? []),
		status: 'open',
		closedAt: null,
		sha256: null,
		...holds
	};
}

/** One line of a company's months list. */
export interface MonthLine {
	month: MonthKey;
	status: 'open' | 'closed';
	/** Still running (the company's current month). */
	running: boolean;
	/** May be closed now: ended, open, and every month before it closed or closable with it. */
	closable: boolean;
	total: StatementFigures;
	lateOperations: number;
	payer: Payer;
	sha256: string | null;
}

/**
 * Whether a month belongs in a company's list: the running month, a month with operations
 * (its own or late ones), and an ended month still open (its figures may yet change). A
 * closed month with nothing in it says nothing: a company that started two years ago with no
 * operations until last month saw 21 empty closed months.
 */
export function monthMatters(line: MonthLine): boolean {
	return (
		line.running ||
		line.total.operations > 0 ||
		line.lateOperations > 0 ||
		line.total.netKopecks !== 0 ||
		line.status === 'open'
	);
}

/**
 * A company's months that matter (monthMatters), newest first: the closed ones frozen, the
 * open ones live.
 */
export async function listMonths(
	db: Kysely<Database>,
	companyId: number
): Promise<{ books: CompanyBooks; months: MonthLine[] } | null> {
	const books = await repo.getBooks(db, companyId);
	if (!books) return null;
	const first = toMonthKey(books.firstMonth);
	const current = toMonthKey(books.currentMonth);
	const all: MonthKey[] = [];
	for (let m = current; m >= first; m = shiftMonth(m, -1)) all.push(m);
	const stored = new Map(
		(await repo.listStored(db, companyId)).map((s) => [toMonthKey(s.month), frozenStatement(s)])
	);
	const open = all.filter((m) => !stored.has(m));
	const sections = await repo.sectionsOf(db, companyId, open.map(toMonthStart));
	const months = all.map((month): MonthLine => {
		const statement =
			stored.get(month) ?? buildStatement(books, month, sections.get(toMonthStart(month)) ?? []);
		const closed = stored.has(month);
		return {
			month,
			status: closed ? 'closed' : 'open',
			running: month === current,
			closable: !closed && month < current,
			total: statement.total,
			lateOperations: statement.lateTotal.operations,
			payer: statement.payer,
			sha256: closed ? (stored.get(month)?.sha256 ?? null) : null
		};
	});
	return { books, months: months.filter(monthMatters) };
}

export type CloseError = 'not_found' | 'not_ended' | 'already_closed';

/**
 * Closes a company's month — and every earlier month still open, so closed months are always a
 * prefix — in one transaction: the books locked (operations of the company wait at their
 * summary step), each month's statement built from the summaries, frozen with the SHA-256 of
 * its canonical content, and the books moved. Idempotent: a month already closed is refused
 * without change, so several server processes may race to close the same month.
 */
export async function closeMonth(
	db: Kysely<Database>,
	input: { companyId: number; month: MonthKey; closedBy: string | null }
): Promise<{ ok: true; closed: MonthKey[] } | { ok: false; error: CloseError }> {
	return db.transaction().execute(async (trx) => {
		const books = await repo.lockBooks(trx, input.companyId);
		if (!books) return { ok: false, error: 'not_found' };
		if (input.month >= toMonthKey(books.currentMonth)) return { ok: false, error: 'not_ended' };
		const lastClosed = books.closedThrough ? toMonthKey(books.closedThrough) : null;
		if (lastClosed && input.month <= lastClosed) return { ok: false, error: 'already_closed' };
		const firstMonth = toMonthKey(books.firstMonth);
		const start = lastClosed
			? shiftMonth(lastClosed, 1)
			: firstMonth < input.month
				? firstMonth
				: input.month;
		const months: MonthKey[] = [];
		for (let m = start; m <= input.month; m = shiftMonth(m, 1)) months.push(m);
		const sections = await repo.sectionsOf(trx, input.companyId, months.map(toMonthStart));
		const closedAt = books.closingMoment.toISOString();
		for (const month of months) {
			const built = buildStatement(books, month, sections.get(toMonthStart(month)) ?? []);
			// Frozen with the rest: what was still on hold at the closing moment (issue 22).
			const holds = await holdFiguresOf(trx, {
				companyId: input.companyId,
				month: toMonthStart(month),
				timeZone: books.timeZone,
				at: books.closingMoment
			});
			const content: StatementContent = { version: 1, ...built, ...holds, closedAt };
			const text = canonicalJson(content);
			await repo.insertStatement(trx, {
				companyId: input.companyId,
				month: toMonthStart(month),
				closedAt: books.closingMoment,
				closedBy: input.closedBy,
				content: text,
				sha256: statementHash(text),
				netKopecks: built.total.netKopecks
			});
			await recordEvent(trx, {
				companyId: input.companyId,
				type: 'statement.closed',
				data: {
					companyId: input.companyId,
					month,
					closedAt,
					netKopecks: built.total.netKopecks,
					sha256: statementHash(text)
				}
			});
		}
		await repo.setClosedThrough(
			trx,
			input.companyId,
			toMonthStart(input.month),
			books.closingMoment
		);
		return { ok: true, closed: months };
	});
}

/**
 * The automatic close: every company whose month has passed its closing day (the `closeDay`th
 * of the next month at 00:00 in its zone) gets it closed. Safe to run in several processes at
 * once: each close locks the company's books and a month closes once.
 */
export async function closeDueMonths(
	db: Kysely<Database>,
	closeDay: number
): Promise<{ companyId: number; closed: MonthKey[] }[]> {
	const done: { companyId: number; closed: MonthKey[] }[] = [];
	for (const due of await repo.listDueForClosing(db, closeDay)) {
		const outcome = await closeMonth(db, {
			companyId: due.companyId,
			month: toMonthKey(due.month),
			closedBy: null
		});
		if (outcome.ok) done.push({ companyId: due.companyId, closed: outcome.closed });
	}
	return done;
}
