import { sql, type Kysely, type Transaction } from 'kysely';
import type { CompanyStatus, Database } from '../db/types';
import { sumColumns, toSums, type SummarySums } from './summaries';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The platform's sums of this month and the last, each company's month taken in its own zone,
 * from the day summaries (the index on day bounds the read to about two months).
 */
export async function monthSums(db: Db): Promise<{ current: SummarySums; previous: SummarySums }> {
	const result = await sql<SummarySums & { which: 'current' | 'previous' }>`
		select case when date_trunc('month', s.day) = date_trunc('month', now() at time zone c.time_zone)
				then 'current' else 'previous' end as which,
			${sumColumns}
		from company_day_summaries s
		join companies c on c.id = s.company_id
		where s.day >= (current_date - 63)
			and date_trunc('month', s.day) >= date_trunc('month', now() at time zone c.time_zone) - interval '1 month'
			and date_trunc('month', s.day) <= date_trunc('month', now() at time zone c.time_zone)
		group by 1`.execute(db);
	const by = new Map(result.rows.map((r) => [r.which, toSums(r)]));
	return {
		current: by.get('current') ?? toSums(undefined),
		previous: by.get('previous') ?? toSums(undefined)
	};
}

/**
 * What the platform owes its customers: the sum of every balance. From `customer_balances`
 * when that table exists (pay-with-cashback keeps it with every movement), else from the
 * summaries, which hold the same ledger sum (cashback earned less cashback spent).
 */
export async function outstandingLiability(
	db: Db
): Promise<{ kopecks: number; source: 'balances' | 'ledger' }> {
	const exists = await sql<{ present: boolean }>`
		select to_regclass('customer_balances') is not null as present`.execute(db);
	if (exists.rows[0]?.present) {
		const row = await sql<{ total: number }>`
			select coalesce(sum(balance_kopecks), 0) as total from customer_balances`.execute(db);
		return { kopecks: Number(row.rows[0]?.total ?? 0), source: 'balances' };
	}
	const row = await sql<{ total: number }>`
		select coalesce(sum(payment_cashback_kopecks + refund_cashback_kopecks
			- payment_redeemed_kopecks - refund_redeemed_kopecks), 0) as total
		from company_day_summaries`.execute(db);
	return { kopecks: Number(row.rows[0]?.total ?? 0), source: 'ledger' };
}

/** How many companies are in each status. */
export async function companiesByStatus(db: Db): Promise<Record<CompanyStatus, number>> {
	const rows = await db
		.selectFrom('companies')
		.select(['status', sql<number>`count(*)`.as('n')])
		.groupBy('status')
		.execute();
	const counts: Record<CompanyStatus, number> = { pending: 0, active: 0, rejected: 0 };
	for (const r of rows) counts[r.status] = Number(r.n);
	return counts;
}

/** Companies registered this month (Moscow time, the platform's), per inviting partner. */
export async function registrationsByPartner(db: Db) {
	const rows = await sql<{ partnerId: number; name: string; n: number }>`
		select p.id as "partnerId", p.name, count(c.id) as n
		from partners p
		join companies c on c.inviter_partner_id = p.id
		where c.created_at >= (date_trunc('month', now() at time zone 'Europe/Moscow') at time zone 'Europe/Moscow')
		group by p.id, p.name
		order by n desc, p.id`.execute(db);
	return rows.rows.map((r) => ({
		partnerId: Number(r.partnerId),
		name: r.name,
		count: Number(r.n)
	}));
}
