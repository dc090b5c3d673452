import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/*
 * The day summaries (repositories/summaries.ts) against the ledger: recomputed from the
 * operations alone, to rebuild a company's (seed data, a time zone change) and to verify them
 * (`npm run verify:summaries`, the integration tests).
 */

/** One difference between the summaries and the ledger. */
export interface SummaryDifference {
	companyId: number;
	day: string;
	statementMonth: string;
	column: string;
	summaries: number;
	ledger: number;
}

/** The summed columns of `company_day_summaries`. */
export const SUM_COLUMNS = [
	'payment_count',
	'payment_amount_kopecks',
	'payment_cashback_kopecks',
	'payment_redeemed_kopecks',
	'refund_count',
	'refund_amount_kopecks',
	'refund_cashback_kopecks',
	'refund_redeemed_kopecks',
	'expired_kopecks',
	'campaign_cashback_kopecks'
] as const;

/**
 * The summaries as the ledger alone says they should be (optionally of one company): each
 * operation's local day, and its statement month by the rule — its own month unless a
 * statement of that month had closed at or before its recorded_at, then the month after the
 * last statement closed by then.
 */
function ledgerSummaries(companyId?: number) {
	return sql`
		select company_id, day, statement_month,
			count(*) filter (where kind = 'payment') as payment_count,
			coalesce(sum(amount_kopecks) filter (where kind = 'payment'), 0) as payment_amount_kopecks,
			coalesce(sum(cashback_kopecks) filter (where kind in ('payment', 'release')), 0)
				as payment_cashback_kopecks,
			coalesce(sum(redeemed_kopecks) filter (where kind = 'payment'), 0) as payment_redeemed_kopecks,
			count(*) filter (where kind = 'refund') as refund_count,
			coalesce(sum(amount_kopecks) filter (where kind = 'refund'), 0) as refund_amount_kopecks,
			coalesce(sum(cashback_kopecks) filter (where kind = 'refund'), 0) as refund_cashback_kopecks,
			coalesce(sum(redeemed_kopecks) filter (where kind = 'refund'), 0) as refund_redeemed_kopecks,
			coalesce(sum(cashback_kopecks) filter (where kind = 'expiry'), 0) as expired_kopecks,
			coalesce(sum(campaign_kopecks), 0) as campaign_cashback_kopecks
		from (
			select o.company_id, d.day, o.kind, o.amount_kopecks, o.cashback_kopecks, o.redeemed_kopecks,
				o.campaign_kopecks,
				case when k.month is null or date_trunc('month', d.day)::date > k.month
					then date_trunc('month', d.day)::date
					else (k.month + interval '1 month')::date
				end as statement_month
			from operations o
			join companies c on c.id = o.company_id
			cross join lateral (select (o.occurred_at at time zone c.time_zone)::date as day) d
			left join lateral (
				select max(st.month) as month from statements st
				where st.company_id = o.company_id and st.closed_at <= o.recorded_at
			) k on true
			${companyId === undefined ? sql`` : sql`where o.company_id = ${companyId}`}
		) ops
		group by 1, 2, 3`;
}

/**
 * Rebuilds a company's summaries from the ledger. For data written straight into the ledger
 * (the demo seed, benchmarks), never while the company takes operations.
 */
export async function rebuildCompanySummaries(
	trx: Transaction<Database>,
	companyId: number
): Promise<void> {
	await sql`delete from company_day_summaries where company_id = ${companyId}`.execute(trx);
	await sql`insert into company_day_summaries (company_id, day, statement_month,
			${sql.join(SUM_COLUMNS.map((c) => sql.ref(c)))})
		${ledgerSummaries(companyId)}`.execute(trx);
}

/**
 * After a company's time zone changed (in the same transaction): its local days move, so its
 * summaries are rebuilt from the ledger with the company's books locked, as a close locks
 * them, so no operation of the company is written meanwhile. Closed statements stay frozen
 * as they were closed.
 */
export async function rezoneSummaries(
	trx: Transaction<Database>,
	companyId: number
): Promise<void> {
	await sql`select company_id from statement_books where company_id = ${companyId} for update`.execute(
		trx
	);
	await rebuildCompanySummaries(trx, companyId);
}

/**
 * Recomputes the summaries from the ledger alone (see ledgerSummaries) and compares them day
 * by day (a day's slots added up). Returns the differences; none means the summaries are right.
 */
export async function verifySummaries(db: Db): Promise<SummaryDifference[]> {
	const result = await sql<Record<string, unknown>>`
		with ledger as (${ledgerSummaries()}),
		summed as (
			select company_id, day, statement_month,
				${sql.join(SUM_COLUMNS.map((c) => sql`sum(${sql.ref(c)}) as ${sql.ref(c)}`))}
			from company_day_summaries
			group by company_id, day, statement_month
			having not (${sql.join(
				SUM_COLUMNS.map((c) => sql`sum(${sql.ref(c)}) = 0`),
				sql` and `
			)})
		)
		select coalesce(l.company_id, s.company_id) as company_id,
			to_char(coalesce(l.day, s.day), 'YYYY-MM-DD') as day,
			to_char(coalesce(l.statement_month, s.statement_month), 'YYYY-MM-DD') as statement_month,
			${sql.join(
				SUM_COLUMNS.flatMap((c) => [
					sql`coalesce(s.${sql.ref(c)}, 0) as ${sql.ref(`s_${c}`)}`,
					sql`coalesce(l.${sql.ref(c)}, 0) as ${sql.ref(`l_${c}`)}`
				])
			)}
		from ledger l
		full join summed s
			on s.company_id = l.company_id and s.day = l.day and s.statement_month = l.statement_month
		where ${sql.join(
			SUM_COLUMNS.map((c) => sql`coalesce(s.${sql.ref(c)}, 0) <> coalesce(l.${sql.ref(c)}, 0)`),
			sql` or `
		)}
		order by 1, 2, 3`.execute(db);
	const differences: SummaryDifference[] = [];
	for (const row of result.rows) {
		for (const column of SUM_COLUMNS) {
			const summaries = Number(row[`s_${column}`]);
			const ledger = Number(row[`l_${column}`]);
			if (summaries !== ledger) {
				differences.push({
					companyId: Number(row.company_id),
					day: String(row.day),
					statementMonth: String(row.statement_month),
					column,
					summaries,
					ledger
				});
			}
		}
	}
	return differences;
}

/** Closed statements whose stored SHA-256 is not the hash of their stored content. */
export async function verifyStatementHashes(
	db: Db
): Promise<{ companyId: number; month: string }[]> {
	const result = await sql<{ companyId: number; month: string }>`
		select company_id as "companyId", to_char(month, 'YYYY-MM') as month from statements
		where sha256 <> encode(sha256(convert_to(content, 'UTF8')), 'hex')
		order by 1, 2`.execute(db);
	return result.rows;
}
