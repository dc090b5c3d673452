import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/types';
import { summaryKeys, summaryUpsert } from './summaries';

type Db = Kysely<Database> | Transaction<Database>;

/*
 * Expiry (migration 0030, issue 22, SPEC C15): when a customer has had no operation for the
 * months the program rules set (0 = never), their *available* balance expires as a ledger row
 * of kind `expiry` (amount 0, cashback minus what expired), attributed to the company of their
 * latest operation (its day summaries count it as expired, apart from the statement's net),
 * in the transaction that lowers the balance row. Pending cashback does not
 * expire. Due when last_activity_at <= now() - the months (on the boundary: due).
 *
 * Idempotent and safe with several instances: each chunk locks its customers' balance rows
 * (FOR UPDATE SKIP LOCKED: another instance takes other customers), re-reads them under the
 * lock, and expires only an available balance > 0 — which the expiry itself makes 0, so a
 * second run (or a second instance after the first committed) finds nothing to do. A run
 * walks the (last_activity_at, customer_id) index forward from where its last chunk ended
 * (keyset): restarting from the beginning each time revisited every row the run had just
 * expired (dead index entries until a vacuum), quadratic over a million customers. A run may
 * split the due keys into ranges first (chunkBoundaries) and expire several at once.
 */

/** The expiry months in force now (0 = never). */
export async function expiryMonthsNow(db: Db): Promise<number> {
	const row = await sql<{ m: number }>`select expiry_months as m from program_rules
		where effective_from <= now() order by effective_from desc, id desc limit 1`.execute(db);
	return Number(row.rows[0]?.m ?? 0);
}

/** One chunk of due customers expired in one statement; returns how many and how much. */
export interface ExpiryCursor {
	/** last_activity_at as Postgres prints it (exact to the microsecond). */
	at: string;
	customerId: string;
}

export async function expireChunk(
	trx: Transaction<Database>,
	chunk: number,
	after: ExpiryCursor | null = null,
	until: ExpiryCursor | null = null
): Promise<{ customers: number; kopecks: number; scanned: number; next: ExpiryCursor | null }> {
	const result = await sql<{
		customers: number;
		kopecks: number;
		scanned: number;
		next_at: string | null;
		next_id: string | null;
	}>`
		with rules as (
			select expiry_months from program_rules where effective_from <= now()
			order by effective_from desc, id desc limit 1
		),
		due as (
			select b.ctid as row_id, b.customer_id, b.balance_kopecks, b.last_activity_at
			from customer_balances b, rules r
			where r.expiry_months > 0 and b.balance_kopecks > 0
				and b.last_activity_at <= now() - make_interval(months => r.expiry_months)
				${
					after
						? sql`and (b.last_activity_at, b.customer_id) > (${after.at}::timestamptz, ${after.customerId})`
						: sql``
				}
				${
					until
						? sql`and (b.last_activity_at, b.customer_id) <= (${until.at}::timestamptz, ${until.customerId})`
						: sql``
				}
			order by b.last_activity_at, b.customer_id
			limit ${chunk}
			for update of b skip locked
		),
		pending as (
			select customer_id, sum(kopecks - cancelled_kopecks) as kopecks from pending_cashback
			where customer_id in (select customer_id from due) and available_at > now()
			group by customer_id
		),
		amounts as (
			select d.row_id, d.customer_id, d.balance_kopecks - coalesce(p.kopecks, 0) as kopecks
			from due d
			left join pending p on p.customer_id = d.customer_id
		),
		lowered as (
			-- By the row's ctid: locked above in this transaction, it cannot have moved.
			update customer_balances b set balance_kopecks = b.balance_kopecks - a.kopecks,
				updated_at = now()
			from amounts a
			where b.ctid = any(array(select row_id from amounts)) and b.ctid = a.row_id
				and a.kopecks > 0
			returning b.customer_id, a.kopecks
		),
		written as (
			insert into operations (id, kind, company_id, device_id, customer_id, amount_kopecks,
				rate_bp, cashback_kopecks, redeemed_kopecks, occurred_at, content_hash, reason)
			select kopek_uuidv7(), 'expiry', last.company_id, null, l.customer_id, 0, 0,
				-l.kopecks, 0, now(), 'expiry:' || l.customer_id, 'expiry'
			from lowered l
			cross join lateral (select company_id from operations o
				where o.customer_id = l.customer_id
				order by o.occurred_at desc limit 1) last
			returning company_id, cashback_kopecks
		),
		-- One row per company for the summaries: every expiry of the chunk is now(), one day.
		p as (
			select company_id as c, 'expiry'::text as k, now() as o, 0::bigint as a,
				sum(cashback_kopecks)::bigint as b, 0::bigint as r, 0::bigint as g, 0::smallint as n
			from written group by company_id
		), ${summaryKeys},
		summarized as (${summaryUpsert})
		select (select count(*) from written) as customers,
			(select coalesce(sum(kopecks), 0) from lowered) as kopecks,
			(select count(*) from due) as scanned,
			x.at as next_at, x.id as next_id
		from (select null) one
		left join (select last_activity_at::text as at, customer_id as id from due
			order by last_activity_at desc, customer_id desc limit 1) x on true`.execute(trx);
	const row = result.rows[0];
	return {
		customers: Number(row?.customers ?? 0),
		kopecks: Number(row?.kopecks ?? 0),
		scanned: Number(row?.scanned ?? 0),
		next: row?.next_at && row.next_id ? { at: row.next_at, customerId: row.next_id } : null
	};
}

/**
 * Where the due customers split into chunks of `chunk`: every chunk-th key of the
 * (last_activity_at, customer_id) index, in order (one index-only pass), so several workers can
 * take disjoint ranges at once. Rows that change meanwhile are re-checked by expireChunk.
 */
export async function chunkBoundaries(
	db: Kysely<Database>,
	chunk: number
): Promise<ExpiryCursor[]> {
	const result = await sql<{ at: string; id: string }>`
		with rules as (
			select expiry_months from program_rules where effective_from <= now()
			order by effective_from desc, id desc limit 1
		)
		select at, id from (
			select b.last_activity_at::text as at, b.customer_id as id,
				row_number() over (order by b.last_activity_at, b.customer_id) as n
			from customer_balances b, rules r
			where r.expiry_months > 0 and b.balance_kopecks > 0
				and b.last_activity_at <= now() - make_interval(months => r.expiry_months)
		) x
		where n % ${chunk} = 0
		order by n`.execute(db);
	return result.rows.map((r) => ({ at: r.at, customerId: r.id }));
}

/** A customer whose available balance expires soon (the card's reminder, the report). */
export interface ExpiringBalance {
	customerId: string;
	customerName: string;
	kopecks: number;
	expiresAt: Date;
}

/**
 * Balances that will expire between `from` and `to` under the rules in force now (the
 * operator's report of next month, the card's reminder 30 days before).
 */
export async function listExpiring(
	db: Db,
	input: { from: Date; to: Date; customerId?: string; limit: number }
): Promise<ExpiringBalance[]> {
	const result = await sql<{
		customer_id: string;
		name: string;
		kopecks: number;
		expires_at: Date;
	}>`
		with rules as (
			select expiry_months from program_rules where effective_from <= now()
			order by effective_from desc, id desc limit 1
		)
		select b.customer_id, c.name, b.balance_kopecks - coalesce(p.pending, 0) as kopecks,
			b.last_activity_at + make_interval(months => r.expiry_months) as expires_at
		from customer_balances b
		cross join rules r
		join customers c on c.id = b.customer_id
		left join lateral (select sum(kopecks - cancelled_kopecks) as pending
			from pending_cashback where customer_id = b.customer_id and available_at > now()) p on true
		where r.expiry_months > 0 and b.balance_kopecks > 0
			${input.customerId ? sql`and b.customer_id = ${input.customerId}` : sql``}
			and b.last_activity_at >= ${input.from}::timestamptz - make_interval(months => r.expiry_months)
			and b.last_activity_at < ${input.to}::timestamptz - make_interval(months => r.expiry_months)
			and b.balance_kopecks - coalesce(p.pending, 0) > 0
		order by b.last_activity_at, b.customer_id
		limit ${input.limit}`.execute(db);
	return result.rows.map((r) => ({
		customerId: r.customer_id,
		customerName: r.name,
		kopecks: Number(r.kopecks),
		expiresAt: new Date(r.expires_at)
	}));
}
