import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Period } from '../../src/lib/forms/period';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/** The period's [start, end) in the time zone given as SQL (each company's own). */
function boundsIn(period: Period, tz: RawBuilder<string>) {
	if (period.kind === 'custom') {
		return {
			start: sql<Date>`(${period.from}::text::date::timestamp at time zone ${tz})`,
			end: sql<Date>`((${period.to}::text::date + 1)::timestamp at time zone ${tz})`
		};
	}
	const anchor = period.anchor
		? sql`${period.anchor}::text::date::timestamp`
		: sql`date_trunc('day', now() at time zone ${tz})`;
	const unit = sql.lit(period.kind);
	const step = sql.lit(`1 ${period.kind}`);
	return {
		start: sql<Date>`(date_trunc(${unit}, ${anchor}) at time zone ${tz})`,
		end: sql<Date>`((date_trunc(${unit}, ${anchor}) + interval ${step}) at time zone ${tz})`
	};
}

/**
 * Per company (each in its own time zone): the period's bills, cashback accrued and cashback
 * redeemed there, refunds netted in (their rows carry minus the payment's figures). Companies
 * with nothing in the period are listed with zeros; name order.
 */
export async function companyCashbackTotals(db: Db, period: Period) {
	const { start, end } = boundsIn(period, sql<string>`c.time_zone`);
	const result = await sql<{
		companyId: number;
		companyName: string;
		status: string;
		operations: number;
		amountKopecks: number;
		cashbackKopecks: number;
		redeemedKopecks: number;
	}>`
		select c.id as "companyId", c.name as "companyName", c.status,
			coalesce(t.operations, 0) as operations,
			coalesce(t.amount, 0) as "amountKopecks",
			coalesce(t.cashback, 0) as "cashbackKopecks",
			coalesce(t.redeemed, 0) as "redeemedKopecks"
		from companies c
		left join lateral (
			select count(*) as operations, sum(o.amount_kopecks) as amount,
				sum(o.cashback_kopecks) as cashback, sum(o.redeemed_kopecks) as redeemed
			from operations o
			where o.company_id = c.id and o.occurred_at >= ${start} and o.occurred_at < ${end}
		) t on true
		order by c.name, c.id`.execute(db);
	return result.rows.map((r) => ({
		...r,
		operations: Number(r.operations),
		amountKopecks: Number(r.amountKopecks),
		cashbackKopecks: Number(r.cashbackKopecks),
		redeemedKopecks: Number(r.redeemedKopecks)
	}));
}
