import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/** A statement's hold figures (issue 22), outside its net like the campaign part. */
export interface HoldFigures {
	/**
	 * Cashback accounted through the month (operations of its days and earlier, recorded before
	 * the moment) still on hold at the moment — the closing moment for a closed statement (then
	 * frozen), now for an open one — less what refunds (or erasures) cancelled before the moment.
	 */
	pendingKopecks: number;
	/** Cashback whose hold ended within the month (up to the moment), less what was cancelled. */
	releasedKopecks: number;
}

/**
 * The one definition of the hold figures, as a subquery over SQL expressions (so the close,
 * an open statement and `npm run verify:summaries` compute them alike): `company`, `month` (a
 * date, its first day), `timeZone` (the statement's) and `at` (a timestamptz). The months'
 * rule mirrors the summaries': an operation of the month's days or earlier recorded before
 * the closing moment is in a statement through the month; one in flight at the close fails
 * (kopek_closing_race) and lands later, so the close sees exactly these rows. A refund cancels
 * pending cashback after its summaries step (it holds the books then, so the close waits for
 * it), at clock_timestamp(): the close sees exactly the cancellations before its moment. An
 * erasure takes no books lock: one committing across a close could differ (not seen yet).
 * Pending cashback of operations after the month (recorded before the close) is the next
 * statement's.
 */
export function holdFiguresQuery(
	company: RawBuilder<unknown>,
	month: RawBuilder<unknown>,
	timeZone: RawBuilder<unknown>,
	at: RawBuilder<unknown>
): RawBuilder<HoldFigures> {
	// A pending row is made in the transaction that records its operation: created_at is the
	// operation's recorded_at, operation_occurred_at its occurred_at (0033; a row without it
	// looks its operation up). One pass over the company's pending index (`a`) sums the rows
	// whose operation is known to be of the month or earlier and gathers two short lists: those
	// of them with cancellations (cancelled_kopecks, their sum, is 0 without any) and the rows
	// without operation_occurred_at, looked up in the ledger apart (`u`), so the planner never
	// costs a lookup per row (past JIT's threshold: 20 ms compiling for 3 ms of work). Their
	// cancellations before the moment are then read by the cancellations' index.
	return sql<HoldFigures>`(select
		a.known + coalesce((select sum(p.kopecks) from pending_cashback p
				where p.operation_id = any(u.ids)), 0)
			- coalesce((select sum(pc.kopecks) from pending_cancellations pc
				where pc.operation_id = any(a.cancelled || u.ids) and pc.cancelled_at < ${at}), 0)
			as "pendingKopecks",
		coalesce((select sum(p.kopecks - p.cancelled_kopecks) from pending_cashback p
			where p.company_id = ${company} and p.available_at >= b.m0 and p.available_at < b.m1
				and p.available_at <= ${at}), 0) as "releasedKopecks"
		-- offset 0: the month's bounds computed once (pulled up, a generic plan converted the
		-- zone per row of the scan).
		from (select (${month}::date::timestamp at time zone ${timeZone}) as m0,
			((${month}::date + interval '1 month')::timestamp at time zone ${timeZone}) as m1
			offset 0) b
		cross join lateral (select
				coalesce(sum(p.kopecks) filter (where p.operation_occurred_at < b.m1), 0) as known,
				coalesce(array_agg(p.operation_id) filter (where p.operation_occurred_at < b.m1
					and p.cancelled_kopecks > 0), '{}') as cancelled,
				coalesce(array_agg(p.operation_id) filter (where p.operation_occurred_at is null),
					'{}') as unknown
			from pending_cashback p
			where p.company_id = ${company} and p.available_at > ${at} and p.created_at < ${at}
				and (p.operation_occurred_at < b.m1 or p.operation_occurred_at is null)) a
		cross join lateral (select coalesce(array_agg(o.id), '{}') as ids from operations o
			where o.id = any(a.unknown) and o.occurred_at < b.m1) u)`;
}

/** A company's hold figures of a month (YYYY-MM-01) at a moment (now when absent). */
export async function holdFiguresOf(
	db: Db,
	input: { companyId: number; month: string; timeZone?: string; at?: Date }
): Promise<HoldFigures> {
	// Without a zone: the company's own, read in the same statement.
	const timeZone = input.timeZone
		? sql`${input.timeZone}::text`
		: sql`(select time_zone from companies where id = ${input.companyId}::integer)`;
	const result = await sql<HoldFigures>`select h.* from ${holdFiguresQuery(
		sql`${input.companyId}::integer`,
		sql`${input.month}::text`,
		timeZone,
		momentOf(input.at)
	)} h`.execute(db);
	return figuresOf(result.rows[0]);
}

/**
 * The hold figures of a month for several companies (each in its own zone) at one moment (now
 * when absent), in one statement: the operator's month view of the open statements, computed
 * by the same definition as a company's own view.
 */
export async function holdFiguresOfCompanies(
	db: Db,
	input: { month: string; companies: readonly { companyId: number; timeZone: string }[]; at?: Date }
): Promise<Map<number, HoldFigures>> {
	const figures = new Map<number, HoldFigures>();
	if (input.companies.length === 0) return figures;
	const ids = input.companies.map((c) => c.companyId);
	const zones = input.companies.map((c) => c.timeZone);
	const result = await sql<HoldFigures & { companyId: number }>`
		select c.id as "companyId", h.*
		from unnest(${ids}::integer[], ${zones}::text[]) as c(id, zone)
		cross join lateral ${holdFiguresQuery(
			sql`c.id`,
			sql`${input.month}::text`,
			sql`c.zone`,
			momentOf(input.at)
		)} h`.execute(db);
	for (const row of result.rows) figures.set(Number(row.companyId), figuresOf(row));
	return figures;
}

function momentOf(at: Date | undefined): RawBuilder<unknown> {
	return at ? sql`${at}::timestamptz` : sql`now()`;
}

function figuresOf(row: HoldFigures | undefined): HoldFigures {
	return {
		pendingKopecks: Number(row?.pendingKopecks ?? 0),
		releasedKopecks: Number(row?.releasedKopecks ?? 0)
	};
}

/** Closed statements whose frozen hold figures differ from the ledger's (verify:summaries). */
export async function verifyStatementHolds(db: Db): Promise<
	{
		companyId: number;
		month: string;
		frozenPending: number;
		ledgerPending: number;
		frozenReleased: number;
		ledgerReleased: number;
	}[]
> {
	const result = await sql<{
		companyId: number;
		month: string;
		frozenPending: number;
		ledgerPending: number;
		frozenReleased: number;
		ledgerReleased: number;
	}>`
		select s.company_id as "companyId", to_char(s.month, 'YYYY-MM') as month,
			(s.content::jsonb->>'pendingKopecks')::bigint as "frozenPending",
			h."pendingKopecks" as "ledgerPending",
			(s.content::jsonb->>'releasedKopecks')::bigint as "frozenReleased",
			h."releasedKopecks" as "ledgerReleased"
		from statements s
		cross join lateral ${holdFiguresQuery(
			sql`s.company_id`,
			sql`s.month`,
			sql`(s.content::jsonb->>'timeZone')`,
			sql`s.closed_at`
		)} h
		where s.content::jsonb ? 'pendingKopecks'
			and ((s.content::jsonb->>'pendingKopecks')::bigint <> h."pendingKopecks"
				or (s.content::jsonb->>'releasedKopecks')::bigint <> h."releasedKopecks")
		order by 1, 2`.execute(db);
	return result.rows.map((r) => ({
		companyId: Number(r.companyId),
		month: r.month,
		frozenPending: Number(r.frozenPending),
		ledgerPending: Number(r.ledgerPending),
		frozenReleased: Number(r.frozenReleased),
		ledgerReleased: Number(r.ledgerReleased)
	}));
}

/** Pending rows whose kept cancellations do not add up to their cancelled_kopecks. */
export async function verifyPendingCancellations(
	db: Db
): Promise<{ operationId: string; cancelled: number; kept: number }[]> {
	const result = await sql<{ operationId: string; cancelled: number; kept: number }>`
		select p.operation_id as "operationId", p.cancelled_kopecks as cancelled,
			coalesce(c.kept, 0) as kept
		from pending_cashback p
		left join (select operation_id, sum(kopecks) as kept from pending_cancellations
			group by operation_id) c on c.operation_id = p.operation_id
		where p.cancelled_kopecks <> coalesce(c.kept, 0)
		order by 1`.execute(db);
	return result.rows.map((r) => ({
		operationId: r.operationId,
		cancelled: Number(r.cancelled),
		kept: Number(r.kept)
	}));
}
