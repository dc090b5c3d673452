import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/types';
import { sumColumns, toSums, type SummarySums } from './summaries';

type Db = Kysely<Database> | Transaction<Database>;

/** A month as the database keeps it: its first day, YYYY-MM-01. */
export type MonthStart = string;

/** The sums of one section of a statement: the days of `dayMonth` accounted in it. */
export interface SectionSums {
	/** The month the operations happened in (YYYY-MM-01). */
	dayMonth: MonthStart;
	sums: SummarySums;
}

/**
 * The summaries accounted in the statements of `months` of a company, per statement month
 * and per the month the days belong to (the statement's own month, or an earlier one for late
 * operations). One index range per statement month.
 */
export async function sectionsOf(
	db: Db,
	companyId: number,
	months: readonly MonthStart[]
): Promise<Map<MonthStart, SectionSums[]>> {
	const byMonth = new Map<MonthStart, SectionSums[]>(months.map((m) => [m, []]));
	if (months.length === 0) return byMonth;
	const result = await sql<SummarySums & { statementMonth: string; dayMonth: string }>`
		select to_char(s.statement_month, 'YYYY-MM-DD') as "statementMonth",
			to_char(date_trunc('month', s.day), 'YYYY-MM-DD') as "dayMonth",
			${sumColumns}
		from company_day_summaries s
		where s.company_id = ${companyId}
			and s.statement_month in (select jsonb_array_elements_text((${JSON.stringify(months)}::text)::jsonb)::date)
		group by 1, 2
		order by 1, 2`.execute(db);
	for (const row of result.rows) {
		byMonth.get(row.statementMonth)?.push({ dayMonth: row.dayMonth, sums: toSums(row) });
	}
	return byMonth;
}

/**
 * The same for every company at once, for one statement month: company → sections. The
 * operator's month view reads all companies in one query.
 */
export async function sectionsOfAllCompanies(
	db: Db,
	month: MonthStart
): Promise<Map<number, SectionSums[]>> {
	const result = await sql<SummarySums & { companyId: number; dayMonth: string }>`
		select s.company_id as "companyId",
			to_char(date_trunc('month', s.day), 'YYYY-MM-DD') as "dayMonth",
			${sumColumns}
		from company_day_summaries s
		where s.statement_month = ${month}::text::date
		group by 1, 2
		order by 1, 2`.execute(db);
	const byCompany = new Map<number, SectionSums[]>();
	for (const row of result.rows) {
		const id = Number(row.companyId);
		const list = byCompany.get(id) ?? [];
		list.push({ dayMonth: row.dayMonth, sums: toSums(row) });
		byCompany.set(id, list);
	}
	return byCompany;
}

/** What a statement needs to know of its company and its books. */
export interface CompanyBooks {
	companyId: number;
	name: string;
	timeZone: string;
	status: string;
	inviterPartnerId: number;
	/** The last closed month, or null. */
	closedThrough: MonthStart | null;
	/** The company's current month in its zone (YYYY-MM-01). */
	currentMonth: MonthStart;
	/** The first month with statements: its registration's, or its first operation's if earlier. */
	firstMonth: MonthStart;
}

function booksQuery(db: Db) {
	return db
		.selectFrom('companies as c')
		.leftJoin('statement_books as b', 'b.company_id', 'c.id')
		.select([
			'c.id as companyId',
			'c.name',
			'c.time_zone as timeZone',
			'c.status',
			'c.inviter_partner_id as inviterPartnerId',
			sql<string | null>`to_char(b.closed_through, 'YYYY-MM-DD')`.as('closedThrough'),
			sql<string>`to_char(date_trunc('month', now() at time zone c.time_zone), 'YYYY-MM-DD')`.as(
				'currentMonth'
			),
			sql<string>`to_char(least(
				date_trunc('month', c.created_at at time zone c.time_zone),
				(select min(s.statement_month) from company_day_summaries s where s.company_id = c.id)
			), 'YYYY-MM-DD')`.as('firstMonth')
		]);
}

/** A company's books (null when there is no such company). */
export function getBooks(db: Db, companyId: number): Promise<CompanyBooks | undefined> {
	return booksQuery(db).where('c.id', '=', companyId).executeTakeFirst();
}

/** Every company's books, by name. */
export function listBooks(db: Db): Promise<CompanyBooks[]> {
	return booksQuery(db).orderBy('c.name').orderBy('c.id').execute();
}

/**
 * Locks a company's books for a close (`FOR UPDATE`: writers of operations wait at their
 * summary step until the close commits, and a second closer waits too) and reads them again
 * under the lock, with the closing moment: clock_timestamp() once the lock is held, rounded up
 * to the millisecond.
 */
export async function lockBooks(
	trx: Transaction<Database>,
	companyId: number
): Promise<(CompanyBooks & { closingMoment: Date }) | undefined> {
	await sql`insert into statement_books (company_id) select id from companies where id = ${companyId}
		on conflict do nothing`.execute(trx);
	const locked = await sql<{ company_id: number }>`select company_id from statement_books
		where company_id = ${companyId} for update`.execute(trx);
	if (locked.rows.length === 0) return undefined;
	const books = await getBooks(trx, companyId);
	if (!books) return undefined;
	// Rounded up to the millisecond (a JS Date has no microseconds): a writer that began in the
	// same millisecond before the lock must meet kopek_closing_race, not pass as late.
	const clock = await sql<{
		now: Date;
	}>`select date_trunc('milliseconds', clock_timestamp()) + interval '1 millisecond' as now`.execute(
		trx
	);
	return { ...books, closingMoment: new Date(clock.rows[0]!.now) };
}

/** Moves the books' last closed month (under lockBooks). */
export async function setClosedThrough(
	trx: Transaction<Database>,
	companyId: number,
	month: MonthStart,
	closedAt: Date
): Promise<void> {
	await trx
		.updateTable('statement_books')
		.set({ closed_through: month, closed_at: closedAt })
		.where('company_id', '=', companyId)
		.execute();
}

/** A frozen statement as stored. */
export interface StoredStatement {
	companyId: number;
	month: MonthStart;
	closedAt: Date;
	closedBy: string | null;
	content: string;
	sha256: string;
	netKopecks: number;
}

const storedColumns = [
	'company_id as companyId',
	sql<string>`to_char(month, 'YYYY-MM-DD')`.as('month'),
	'closed_at as closedAt',
	'closed_by as closedBy',
	'content',
	'sha256',
	'net_kopecks as netKopecks'
] as const;

/** Stores a frozen statement; a second insert of the same month does nothing (false). */
export async function insertStatement(
	trx: Transaction<Database>,
	statement: StoredStatement
): Promise<boolean> {
	const result = await trx
		.insertInto('statements')
		.values({
			company_id: statement.companyId,
			month: statement.month,
			closed_at: statement.closedAt,
			closed_by: statement.closedBy,
			content: statement.content,
			sha256: statement.sha256,
			net_kopecks: statement.netKopecks
		})
		.onConflict((oc) => oc.columns(['company_id', 'month']).doNothing())
		.executeTakeFirst();
	return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** A company's frozen statements, newest first (optionally one month). */
export function listStored(db: Db, companyId: number, month?: MonthStart) {
	return db
		.selectFrom('statements')
		.select([...storedColumns])
		.where('company_id', '=', companyId)
		.$if(month !== undefined, (q) => q.where('month', '=', month!))
		.orderBy('month', 'desc')
		.execute() as Promise<StoredStatement[]>;
}

/** Every company's frozen statement of a month. */
export function listStoredOfMonth(db: Db, month: MonthStart) {
	return db
		.selectFrom('statements')
		.select([...storedColumns])
		.where('month', '=', month)
		.execute() as Promise<StoredStatement[]>;
}

/**
 * Companies whose automatic close is due: the month before the one that contains "now minus
 * (closeDay - 1) days" in the company's zone has ended and passed its closing day, and it is
 * not closed yet. Pending companies (no operations possible) are skipped.
 */
export async function listDueForClosing(
	db: Db,
	closeDay: number
): Promise<{ companyId: number; month: MonthStart }[]> {
	const result = await sql<{ companyId: number; month: string }>`
		select c.id as "companyId", to_char(t.month, 'YYYY-MM-DD') as month
		from companies c
		left join statement_books b on b.company_id = c.id
		cross join lateral (select (date_trunc('month',
			(now() at time zone c.time_zone) - make_interval(days => ${closeDay - 1})) - interval '1 month')::date
			as month) t
		where c.status <> 'pending' and (b.closed_through is null or b.closed_through < t.month)
		order by c.id`.execute(db);
	return result.rows.map((r) => ({ companyId: Number(r.companyId), month: r.month }));
}
