import { sql, type Transaction } from 'kysely';
import type { CompanyStatus, Database } from '../db/types';

/** What a sync batch needs to know before it writes, read in one statement. */
export interface SyncBatchContext {
	/** The transaction's now(): the recorded_at of every operation it inserts. */
	transactionTime: Date;
	companyStatus: CompanyStatus | null;
	/** The terminal, when it is one of the company's (its last sync is now recorded). */
	deviceId: string | null;
	/**
	 * Names of the customers among those asked for that exist and are not erased (an erased
	 * customer takes no new operations: `unknown_customer`). Their rows stay key-share locked
	 * to the end of the batch, so an erasure waits for it (repositories/erasures.ts).
	 */
	customerNames: Map<string, string>;
	/** The company's rate in force at `at`; null before its first rate. */
	rateAt(at: Date): number | null;
}

/** What a sync batch is opened with: the batch's customers and times. */
export interface SyncBatchInput {
	companyId: number;
	deviceId: string;
	customerIds: readonly string[];
	times: readonly Date[];
	now: Date;
}

/**
 * Opens a sync batch in one round trip: records the terminal's last sync (when it is the
 * company's; the row lock also makes batches of one terminal take turns), and reads the
 * company's status, the customers (one set lookup on their key) and the slice of the rate
 * history that covers the batch: the rate in force at its earliest time and every change up
 * to its latest (usually one row, read off the (company_id, effective_from) key). Each
 * operation's rate is then the latest of those rows with effective_from <= its time. Lists
 * travel as JSON, which postgres.js and PGlite pass alike; the customers as `= any(array(…))`,
 * which probes the primary key — `in (select jsonb_array_elements_text(…))` was planned as a
 * hash semi-join over a sequential scan of every customer (EXPLAIN ANALYZE with 5 000
 * customers: 1.0 of its 2.2 ms; it grows with the customers).
 */
export async function openSyncBatch(
	trx: Transaction<Database>,
	input: SyncBatchInput
): Promise<SyncBatchContext> {
	const result = await syncBatchStatement(input).execute(trx);
	const row = result.rows[0];
	const parse = <T>(value: T | string | null | undefined): T | null =>
		typeof value === 'string' ? (JSON.parse(value) as T) : (value ?? null);
	if (!row) throw new Error('openSyncBatch: no row');
	return {
		transactionTime: new Date(row.transaction_time),
		companyStatus: row.company_status ?? null,
		deviceId: row.device_id ?? null,
		customerNames: new Map(Object.entries(parse(row.customers) ?? {})),
		rateAt: rateLookup(parse(row.rates) ?? [])
	};
}

/** The statement openSyncBatch runs (exported for the test that reads its plan). */
export function syncBatchStatement(input: SyncBatchInput) {
	const customerIds = JSON.stringify([...new Set(input.customerIds)]);
	let first = Infinity;
	let last = -Infinity;
	for (const t of input.times) {
		first = Math.min(first, t.getTime());
		last = Math.max(last, t.getTime());
	}
	// With no time to price, ask for an empty slice.
	const from = new Date(Number.isFinite(first) ? first : 0);
	const to = new Date(Number.isFinite(last) ? last : -1);
	return sql<{
		transaction_time: Date;
		company_status: CompanyStatus | null;
		device_id: string | null;
		customers: Record<string, string> | string | null;
		rates: RateChange[] | string | null;
	}>`
		with touched as (
			update devices set last_sync_at = ${input.now}
			where id = ${input.deviceId} and company_id = ${input.companyId}
			returning id
		)
		select
			now() as transaction_time,
			(select status from companies where id = ${input.companyId}) as company_status,
			(select id from touched) as device_id,
			(select jsonb_object_agg(c.id, c.name) from (
				select id, name from customers
				where id = any(array(select jsonb_array_elements_text((${customerIds}::text)::jsonb)))
					and erased_at is null
				for key share
			) c) as customers,
			(select jsonb_agg(jsonb_build_object('rate_bp', r.rate_bp,
					'from_us', (extract(epoch from r.effective_from) * 1000000)::bigint)
					order by r.effective_from)
				from company_rates r
				where r.company_id = ${input.companyId}
					and r.effective_from <= ${to}
					and r.effective_from >= coalesce(
						(select max(effective_from) from company_rates
							where company_id = ${input.companyId} and effective_from <= ${from}),
						'-infinity')
			) as rates`;
}

/** A rate change; its moment in epoch microseconds, as exact as timestamptz itself. */
interface RateChange {
	rate_bp: number;
	from_us: number;
}

/** The rate in force at a moment, from a slice of the history sorted by effective_from. */
function rateLookup(history: readonly RateChange[]) {
	return (at: Date): number | null => {
		const atMicroseconds = at.getTime() * 1000;
		let rate: number | null = null;
		for (const change of history) {
			if (change.from_us > atMicroseconds) break;
			rate = change.rate_bp;
		}
		return rate;
	};
}
