import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, OperationKind } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/** What the summaries need of an operation row just inserted (its recorded_at is now()). */
export interface InsertedOperation {
	companyId: number;
	kind: OperationKind;
	/** ISO 8601 or a Date: the operation's own time. */
	occurredAt: string | Date;
	amountKopecks: number;
	cashbackKopecks: number;
	redeemedKopecks: number;
	/** The campaign part of the cashback (issue 22), signed like it; 0 when absent. */
	campaignKopecks?: number;
	/** The stripe the writer adds to (see summarySlot); 0 when absent. */
	slot?: number;
}

/** How many stripes a day's sums are spread over (migration 0009_summary_slots). */
export const SUMMARY_SLOTS = 16;

/**
 * The stripe a terminal's writes add to: from its device ID, whose last hex digits are random
 * in a UUID v4 or v7, so a company's terminals spread over the slots and rarely wait for one
 * another's row lock.
 */
export function summarySlot(deviceId: string | null | undefined): number {
	if (!deviceId) return 0;
	const tail = parseInt(deviceId.slice(-4), 16);
	return Number.isFinite(tail) ? tail % SUMMARY_SLOTS : 0;
}

/**
 * Adds operation rows inserted by the caller's transaction to the per-company per-day
 * summaries, in one set-based statement: grouped by company, local day (company zone) and
 * statement month, then `INSERT … ON CONFLICT DO UPDATE` adding to the sums, so concurrent
 * writers of the same day each add their own (rows go in key order: no deadlock between two
 * batches).
 *
 * The statement month is the day's month unless that month was closed: then the operation is
 * late and goes to the month after the last closed one (the next open statement). The
 * company's `statement_books` row is read `FOR KEY SHARE`, which waits for a close in progress
 * and then sees it; a transaction that began before that close (its rows' recorded_at would
 * be before the closing moment, yet they are not in the frozen figures) fails with
 * serialization_failure through kopek_closing_race(), and its caller retries. So an operation
 * is late exactly when its recorded_at is at or after its month's closing moment.
 *
 * Call it inside the transaction that inserted the rows, with exactly the rows inserted now.
 */
export async function applyToSummaries(
	trx: Transaction<Database>,
	rows: readonly InsertedOperation[]
): Promise<void> {
	if (rows.length === 0) return;
	const payload = JSON.stringify(
		rows.map((r) => ({
			c: r.companyId,
			k: r.kind,
			o: typeof r.occurredAt === 'string' ? r.occurredAt : r.occurredAt.toISOString(),
			a: r.amountKopecks,
			b: r.cashbackKopecks,
			r: r.redeemedKopecks,
			g: r.campaignKopecks ?? 0,
			n: r.slot ?? 0
		}))
	);
	await sql`
		with p as (
			select * from jsonb_to_recordset((${payload}::text)::jsonb)
				as p(c integer, k text, o timestamptz, a bigint, b bigint, r bigint, g bigint,
					n smallint)
		), ${summaryKeys}
		${summaryUpsert}
	`.execute(trx);
}

/**
 * The summaries' statement as parts of a larger one, over a relation `p(c company, k kind,
 * o occurred_at, a amount, b cashback, r redeemed, g campaign part, n slot)` the caller defines first: `summaryKeys`
 * are CTEs (the company's statement book, each row's day and statement month), then
 * `summaryUpsert` adds them up. The company and its book are read by key (`= any(array(…))`, a
 * lateral lookup): as joins on `p` they were planned as sequential scans of every company and
 * every book (EXPLAIN ANALYZE with 20 000 companies: 5 of the sync INSERT's 7.8 ms). The sync puts them in its INSERT (the `p` there reads the
 * rows the INSERT returned), so the rows inserted and the sums they add are one statement.
 */
export const summaryKeys = sql`
		books as (
			select company_id, closed_through, closed_at from statement_books
			where company_id = any(array(select distinct c from p))
			order by company_id
			for key share
		),
		keyed as (
			select p.c as company_id, d.day,
				case
					when bk.closed_through is null or date_trunc('month', d.day)::date > bk.closed_through
						then date_trunc('month', d.day)::date
					when now() >= bk.closed_at then (bk.closed_through + interval '1 month')::date
					else kopek_closing_race()
				end as statement_month,
				p.n as slot, p.k, p.a, p.b, p.r, p.g
			from p
			left join books bk on bk.company_id = p.c
			cross join lateral (select (p.o at time zone
				(select time_zone from companies where id = p.c))::date as day) d
		)`;

export const summaryUpsert = sql`
		insert into company_day_summaries as s (company_id, day, statement_month, slot,
			payment_count, payment_amount_kopecks, payment_cashback_kopecks, payment_redeemed_kopecks,
			refund_count, refund_amount_kopecks, refund_cashback_kopecks, refund_redeemed_kopecks,
			expired_kopecks, campaign_cashback_kopecks)
		select company_id, day, statement_month, slot,
			count(*) filter (where k = 'payment'),
			coalesce(sum(a) filter (where k = 'payment'), 0),
			-- A release (held cashback confirmed, 0012) is accrued cashback the day it is credited.
			coalesce(sum(b) filter (where k in ('payment', 'release')), 0),
			coalesce(sum(r) filter (where k = 'payment'), 0),
			count(*) filter (where k = 'refund'),
			coalesce(sum(a) filter (where k = 'refund'), 0),
			coalesce(sum(b) filter (where k = 'refund'), 0),
			coalesce(sum(r) filter (where k = 'refund'), 0),
			-- Issue 22: expired cashback (kind expiry) and the campaign part, signed as in the ledger.
			coalesce(sum(b) filter (where k = 'expiry'), 0),
			coalesce(sum(g), 0)
		from keyed
		group by company_id, day, statement_month, slot
		order by company_id, day, statement_month, slot
		on conflict (company_id, day, statement_month, slot) do update set
			payment_count = s.payment_count + excluded.payment_count,
			payment_amount_kopecks = s.payment_amount_kopecks + excluded.payment_amount_kopecks,
			payment_cashback_kopecks = s.payment_cashback_kopecks + excluded.payment_cashback_kopecks,
			payment_redeemed_kopecks = s.payment_redeemed_kopecks + excluded.payment_redeemed_kopecks,
			refund_count = s.refund_count + excluded.refund_count,
			refund_amount_kopecks = s.refund_amount_kopecks + excluded.refund_amount_kopecks,
			refund_cashback_kopecks = s.refund_cashback_kopecks + excluded.refund_cashback_kopecks,
			refund_redeemed_kopecks = s.refund_redeemed_kopecks + excluded.refund_redeemed_kopecks,
			expired_kopecks = s.expired_kopecks + excluded.expired_kopecks,
			campaign_cashback_kopecks = s.campaign_cashback_kopecks + excluded.campaign_cashback_kopecks`;

/** The sums every reader of the summaries shows: signed ledger sums, split by kind. */
export interface SummarySums {
	payments: number;
	paymentAmountKopecks: number;
	accruedKopecks: number;
	redeemedKopecks: number;
	refunds: number;
	refundAmountKopecks: number;
	/** Signed, as in the ledger: <= 0. */
	refundCashbackKopecks: number;
	/** Signed, as in the ledger: <= 0. */
	refundRedeemedKopecks: number;
	/** Issue 22: expired cashback (<= 0, as in the ledger) and the campaign part of cashback. */
	expiredKopecks: number;
	campaignKopecks: number;
}

/** SQL select list of the sums over `company_day_summaries s`. */
export const sumColumns = sql<SummarySums>`
	coalesce(sum(s.payment_count), 0) as payments,
	coalesce(sum(s.payment_amount_kopecks), 0) as "paymentAmountKopecks",
	coalesce(sum(s.payment_cashback_kopecks), 0) as "accruedKopecks",
	coalesce(sum(s.payment_redeemed_kopecks), 0) as "redeemedKopecks",
	coalesce(sum(s.refund_count), 0) as refunds,
	coalesce(sum(s.refund_amount_kopecks), 0) as "refundAmountKopecks",
	coalesce(sum(s.refund_cashback_kopecks), 0) as "refundCashbackKopecks",
	coalesce(sum(s.refund_redeemed_kopecks), 0) as "refundRedeemedKopecks",
	coalesce(sum(s.expired_kopecks), 0) as "expiredKopecks",
	coalesce(sum(s.campaign_cashback_kopecks), 0) as "campaignKopecks"`;

/** Numbers out of a row read with sumColumns (drivers may hand bigints back as strings). */
export function toSums(row: Partial<Record<keyof SummarySums, unknown>> | undefined): SummarySums {
	const n = (v: unknown) => Number(v ?? 0);
	return {
		payments: n(row?.payments),
		paymentAmountKopecks: n(row?.paymentAmountKopecks),
		accruedKopecks: n(row?.accruedKopecks),
		redeemedKopecks: n(row?.redeemedKopecks),
		refunds: n(row?.refunds),
		refundAmountKopecks: n(row?.refundAmountKopecks),
		refundCashbackKopecks: n(row?.refundCashbackKopecks),
		refundRedeemedKopecks: n(row?.refundRedeemedKopecks),
		expiredKopecks: n(row?.expiredKopecks),
		campaignKopecks: n(row?.campaignKopecks)
	};
}

/** Sums of a company's local days from..to (both included, YYYY-MM-DD). */
export async function sumDays(
	db: Db,
	input: { companyId: number; from: string; to: string }
): Promise<SummarySums> {
	const result = await sql<SummarySums>`
		select ${sumColumns} from company_day_summaries s
		where s.company_id = ${input.companyId}
			and s.day >= ${input.from}::text::date and s.day <= ${input.to}::text::date`.execute(db);
	return toSums(result.rows[0]);
}
