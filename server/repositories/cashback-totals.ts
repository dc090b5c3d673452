import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { netFiguresOf } from '../../src/lib/domain/settlement';
import type { Period } from '../../src/lib/forms/period';
import type { Database } from '../db/types';
import { sumColumns, toSums, type SummarySums } from './summaries';

type Db = Kysely<Database> | Transaction<Database>;

/** The period's local days [start, end) in the time zone given as SQL (each company's own). */
function daysIn(period: Period, tz: RawBuilder<string>) {
	if (period.kind === 'custom') {
		return {
			start: sql<string>`${period.from}::text::date`,
			end: sql<string>`(${period.to}::text::date + 1)`
		};
	}
	const anchor = period.anchor
		? sql`${period.anchor}::text::date::timestamp`
		: sql`date_trunc('day', now() at time zone ${tz})`;
	const unit = sql.lit(period.kind);
	const step = sql.lit(`1 ${period.kind}`);
	return {
		start: sql<string>`date_trunc(${unit}, ${anchor})::date`,
		end: sql<string>`(date_trunc(${unit}, ${anchor}) + interval ${step})::date`
	};
}

/**
 * Per company (each in its own time zone): the period's bills, cashback accrued and cashback
 * paid with there, net of refunds (`netFiguresOf`, the overview's definition), from the same
 * day summaries the overview and the statements read. Companies with nothing in the period
 * are listed with zeros; name order.
 */
export async function companyCashbackTotals(db: Db, period: Period) {
	const { start, end } = daysIn(period, sql<string>`c.time_zone`);
	const result = await sql<
		SummarySums & { companyId: number; companyName: string; status: string }
	>`
		select c.id as "companyId", c.name as "companyName", c.status, ${sumColumns}
		from companies c
		left join company_day_summaries s
			on s.company_id = c.id and s.day >= ${start} and s.day < ${end}
		group by c.id, c.name, c.status
		order by c.name, c.id`.execute(db);
	return result.rows.map((r) => {
		const sums = toSums(r);
		const net = netFiguresOf(sums);
		return {
			companyId: Number(r.companyId),
			companyName: r.companyName,
			status: r.status,
			operations: sums.payments + sums.refunds,
			amountKopecks: net.turnoverKopecks,
			cashbackKopecks: net.accruedKopecks,
			redeemedKopecks: net.redeemedKopecks
		};
	});
}
