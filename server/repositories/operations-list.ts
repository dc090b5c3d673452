import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { netFiguresOf } from '../../src/lib/domain/settlement';
import { daysInRange, type Period } from '../../src/lib/forms/period';
import type { Database } from '../db/types';
import { sumColumns, toSums, type SummarySums } from './summaries';

type Db = Kysely<Database> | Transaction<Database>;

export type { Period };

/** Where a page ends: the last row's time (exact, to the microsecond) and ID. */
export interface ListCursor {
	at: string;
	id: string;
}

/** «Касса» and «Кассир» filters of the list (SPEC C10); `admin`: the admin's own operations. */
export interface OperationsFilter {
	deviceId?: string;
	cashierId?: string | 'admin';
	/** «Поиск»: digits are the start of a customer ID, anything else part of the name. */
	customer?: string;
}

/** The customer search as a condition on `o` and its customer `c`. */
function customerCondition(query: string | undefined): RawBuilder<boolean> {
	const text = query?.trim() ?? '';
	if (text === '') return sql<boolean>`true`;
	const digits = text.replace(/[\s\u00A0\u202F]/g, '');
	if (/^\d+$/.test(digits)) return sql<boolean>`starts_with(o.customer_id, ${digits})`;
	// The typed text is matched literally: % and _ are not wildcards here.
	const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
	return sql<boolean>`c.name ilike ${pattern}`;
}

/** The filter as a condition on `o` (true when there is none). */
function filterCondition(filter: OperationsFilter | undefined): RawBuilder<boolean> {
	const device = filter?.deviceId ? sql`o.device_id = ${filter.deviceId}::uuid` : sql`true`;
	const cashier =
		filter?.cashierId === 'admin'
			? sql`o.cashier_id is null`
			: filter?.cashierId
				? sql`o.cashier_id = ${filter.cashierId}::uuid`
				: sql`true`;
	return sql<boolean>`(${device} and ${cashier} and ${customerCondition(filter?.customer)})`;
}

/** Custom ranges longer than this are charted by month. */
const DAILY_CHART_MAX_DAYS = 92;

function timeZoneOf(companyId: number): RawBuilder<string> {
	return sql<string>`(select time_zone from companies where id = ${companyId})`;
}

/**
 * The period as [start, end) instants, computed by Postgres from local calendar dates in the
 * company's zone: `local midnight AT TIME ZONE tz` is the instant that midnight happens there.
 * Both are constant per query, so the list's index range scan uses them directly.
 */
export function periodBounds(companyId: number, period: Period) {
	const tz = timeZoneOf(companyId);
	// Dates go in as text: postgres.js would parse a date parameter in the Node process's zone.
	let start: RawBuilder<Date>;
	let end: RawBuilder<Date>;
	if (period.kind === 'custom') {
		start = sql<Date>`(${period.from}::text::date::timestamp at time zone ${tz})`;
		end = sql<Date>`((${period.to}::text::date + 1)::timestamp at time zone ${tz})`;
	} else {
		const anchor = period.anchor
			? sql`${period.anchor}::text::date::timestamp`
			: sql`date_trunc('day', now() at time zone ${tz})`;
		const unit = sql.lit(period.kind);
		const step = sql.lit(`1 ${period.kind}`);
		start = sql<Date>`(date_trunc(${unit}, ${anchor}) at time zone ${tz})`;
		end = sql<Date>`((date_trunc(${unit}, ${anchor}) + interval ${step}) at time zone ${tz})`;
	}
	return { start, end, tz };
}

/** Days or months on the chart: a year (or a long custom range) by month, else by day. */
export function chartUnit(period: Period): 'day' | 'month' {
	if (period.kind === 'year') return 'month';
	if (period.kind === 'custom') {
		return daysInRange(period.from, period.to) > DAILY_CHART_MAX_DAYS ? 'month' : 'day';
	}
	return 'day';
}

/** The cursor time as text with microseconds: a JS Date would cut them and skip rows. */
const cursorAt = sql<string>`to_char(o.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * One page of a company's operations in the period, newest first, by keyset on
 * (occurred_at desc, id desc) — the order of operations_company_list_idx, so a page costs the
 * same at the start of a year as at its end. Reads one row more than `limit` to know whether
 * there is a next page.
 */
export async function listPage(
	db: Db,
	input: {
		companyId: number;
		period: Period;
		cursor?: ListCursor;
		limit: number;
		filter?: OperationsFilter;
	}
) {
	const { start, end } = periodBounds(input.companyId, input.period);
	const rows = await db
		.selectFrom('operations as o')
		.innerJoin('customers as c', 'c.id', 'o.customer_id')
		.leftJoin('devices as d', 'd.id', 'o.device_id')
		// Refunds of the payment (several since partial refunds, 0020): how much, and the last one.
		.leftJoinLateral(
			(eb) =>
				eb
					.selectFrom('operations as r')
					.select([
						sql<string | null>`max(r.id::text)`.as('refundId'),
						sql<number>`coalesce(-sum(r.amount_kopecks), 0)::int8`.as('refundedKopecks')
					])
					.whereRef('r.reverses_id', '=', 'o.id')
					.as('r'),
			(join) => join.onTrue()
		)
		.leftJoin('cashiers as k', 'k.id', 'o.cashier_id')
		// Cashback held for review (0012): the list says «на проверке» beside it.
		.leftJoin('operation_holds as h', 'h.operation_id', 'o.id')
		.select([
			'o.id',
			'o.kind',
			'h.status as holdStatus',
			'h.held_kopecks as heldKopecks',
			'k.name as cashierName',
			'o.customer_id as customerId',
			'c.name as customerName',
			'o.amount_kopecks as amountKopecks',
			'o.rate_bp as rateBp',
			'o.cashback_kopecks as cashbackKopecks',
			// Issue 22: the campaign part of the cashback, shown apart (signed like it).
			'o.campaign_kopecks as campaignKopecks',
			'o.redeemed_kopecks as redeemedKopecks',
			'o.occurred_at as occurredAt',
			'o.reverses_id as reversesId',
			'o.reason',
			'd.name as deviceName',
			'r.refundId',
			'r.refundedKopecks',
			cursorAt.as('cursorAt'),
			sql<boolean>`(o.kind = 'payment' and r."refundedKopecks" < o.amount_kopecks and o.occurred_at > now() - interval '30 days')`.as(
				'refundable'
			)
		])
		.where('o.company_id', '=', input.companyId)
		.where('o.occurred_at', '>=', start)
		.where('o.occurred_at', '<', end)
		.where(filterCondition(input.filter))
		.$if(input.cursor !== undefined, (q) =>
			q.where(
				sql`(o.occurred_at, o.id)`,
				'<',
				// ::text first: postgres.js would turn a timestamptz parameter into a JS Date and
				// drop the microseconds the cursor carries.
				sql`(${input.cursor!.at}::text::timestamptz, ${input.cursor!.id}::uuid)`
			)
		)
		.orderBy('o.occurred_at', 'desc')
		.orderBy('o.id', 'desc')
		.limit(input.limit + 1)
		.execute();
	const hasMore = rows.length > input.limit;
	const page = hasMore ? rows.slice(0, input.limit) : rows;
	const last = page[page.length - 1];
	const nextCursor: ListCursor | null = hasMore && last ? { at: last.cursorAt, id: last.id } : null;
	return {
		rows: page.map(({ cursorAt: _cursorAt, ...row }) => ({
			...row,
			campaignKopecks: Number(row.campaignKopecks ?? 0),
			refundedKopecks: Number(row.refundedKopecks ?? 0),
			occurredAt: new Date(row.occurredAt)
		})),
		nextCursor
	};
}

/**
 * The period as local calendar days [first, end) in the company's zone — every period of the
 * list is whole days — for the day summaries, which hold each company's local days.
 */
function periodDays(companyId: number, period: Period) {
	const tz = timeZoneOf(companyId);
	if (period.kind === 'custom') {
		return {
			tz,
			first: sql<string>`${period.from}::text::date`,
			end: sql<string>`(${period.to}::text::date + 1)`
		};
	}
	const anchor = period.anchor
		? sql`${period.anchor}::text::date::timestamp`
		: sql`date_trunc('day', now() at time zone ${tz})`;
	const unit = sql.lit(period.kind);
	const step = sql.lit(`1 ${period.kind}`);
	return {
		tz,
		first: sql<string>`date_trunc(${unit}, ${anchor})::date`,
		end: sql<string>`(date_trunc(${unit}, ${anchor}) + interval ${step})::date`
	};
}

/**
 * Totals of the period: payments, refunds, the bills and the cashback, net of refunds, and
 * the campaign part of that cashback (`netFiguresOf`, as every headline figure and statement). From the day summaries (at most a few hundred
 * rows), not the ledger.
 */
export async function periodTotals(db: Db, input: { companyId: number; period: Period }) {
	const { tz, first, end } = periodDays(input.companyId, input.period);
	const result = await sql<SummarySums & { from: Date; to: Date; timeZone: string }>`
		with b as (select ${first} as d0, ${end} as d1, ${tz} as tz)
		select (b.d0::timestamp at time zone b.tz) as "from", (b.d1::timestamp at time zone b.tz) as "to",
			b.tz as "timeZone", ${sumColumns}
		from b
		left join company_day_summaries s
			on s.company_id = ${input.companyId} and s.day >= b.d0 and s.day < b.d1
		group by b.d0, b.d1, b.tz`.execute(db);
	const row = result.rows[0];
	if (!row) throw new Error('periodTotals: no row');
	const sums = toSums(row);
	const net = netFiguresOf(sums);
	return {
		from: new Date(row.from),
		to: new Date(row.to),
		timeZone: row.timeZone,
		payments: sums.payments,
		refunds: sums.refunds,
		amountKopecks: net.turnoverKopecks,
		cashbackKopecks: net.accruedKopecks,
		redeemedKopecks: net.redeemedKopecks,
		campaignKopecks: net.campaignKopecks
	};
}

/**
 * Turnover and cashback per local day (or month) of the period, every bucket present (zero
 * when nothing happened), oldest first. Buckets are local calendar dates `YYYY-MM-DD`. From
 * the day summaries.
 */
export async function periodChart(db: Db, input: { companyId: number; period: Period }) {
	const { first, end } = periodDays(input.companyId, input.period);
	const unitName = chartUnit(input.period);
	const unit = sql.lit(unitName);
	const step = sql.lit(`1 ${unitName}`);
	const result = await sql<{
		bucket: string;
		amountKopecks: number;
		cashbackKopecks: number;
		redeemedKopecks: number;
	}>`
		with b as (select ${first} as d0, ${end} as d1),
		series as (
			select generate_series(
				date_trunc(${unit}, b.d0::timestamp),
				b.d1::timestamp - interval '1 day',
				interval ${step}
			) as bucket from b
		),
		agg as (
			select date_trunc(${unit}, s.day::timestamp) as bucket,
				sum(s.payment_amount_kopecks + s.refund_amount_kopecks) as amount,
				sum(s.payment_cashback_kopecks + s.refund_cashback_kopecks) as cashback,
				sum(s.payment_redeemed_kopecks + s.refund_redeemed_kopecks) as redeemed
			from company_day_summaries s, b
			where s.company_id = ${input.companyId} and s.day >= b.d0 and s.day < b.d1
			group by 1
		)
		select to_char(series.bucket, 'YYYY-MM-DD') as bucket,
			coalesce(agg.amount, 0) as "amountKopecks", coalesce(agg.cashback, 0) as "cashbackKopecks",
			coalesce(agg.redeemed, 0) as "redeemedKopecks"
		from series left join agg on agg.bucket = series.bucket
		order by series.bucket`.execute(db);
	return {
		unit: unitName,
		buckets: result.rows.map((r) => ({
			bucket: r.bucket,
			amountKopecks: Number(r.amountKopecks),
			cashbackKopecks: Number(r.cashbackKopecks),
			redeemedKopecks: Number(r.redeemedKopecks)
		}))
	};
}
