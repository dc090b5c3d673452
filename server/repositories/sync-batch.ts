import { sql, type Transaction } from 'kysely';
import type { CompanyStatus, Database, RevokeMode } from '../db/types';
import { rateInForce, type Campaign } from '../../src/lib/domain/campaign';
import { campaignCapNow, campaignsJson } from './campaigns';
import type { MoneyLimitRow } from './money-limits';
import {
	storedIds,
	velocityCounts,
	type VelocityCounts,
	type VelocityProbe
} from './sync-velocity';

/**
 * What a group of sync calls needs to know before it writes, read in one statement. A group is
 * one device's call, or several devices' calls that arrived together and share a transaction
 * (services/sync-coalescer.ts); every lookup answers per company and device.
 */
export interface SyncBatchContext {
	/** The transaction's now(): the recorded_at of every operation it inserts. */
	transactionTime: Date;
	companyStatus(companyId: number): CompanyStatus | null;
	/** Whether the device is one of the company's (its last sync is now recorded). */
	hasDevice(companyId: number, deviceId: string): boolean;
	/**
	 * Names of the customers among those asked for that exist and are not erased (an erased
	 * customer takes no new operations: `unknown_customer`). Their rows stay key-share locked
	 * to the end of the batch, so an erasure waits for it (repositories/erasures.ts).
	 */
	customerNames: Map<string, string>;
	/** Whether the cashier (asked for by ID) is one of the company's. */
	hasCashier(companyId: number, cashierId: string): boolean;
	/** The company's rate in force at `at`; null before its first rate. */
	rateAt(companyId: number, at: Date): number | null;
	/**
	 * The rate a payment takes at `at` given its contract rate: the highest campaign in force
	 * then (issue 22, src/lib/domain/campaign.ts), or the contract rate.
	 */
	campaignRate(
		companyId: number,
		contractRateBp: number,
		at: Date
	): { rateBp: number; campaignId: number | null };
	/** The company's money limits in force now (issue 18); null when none was ever set. */
	moneyLimits(companyId: number): MoneyLimitRow | null;
	/**
	 * When and how the company's paired terminal was revoked, from its row (not the caller's
	 * word). An admin's own till that was retired is not a credential: the admin's session
	 * still delivers its outbox (services/tills.ts), so it has no revocation here.
	 */
	revocation(companyId: number, deviceId: string): { at: Date; mode: RevokeMode } | null;
	/** A probe's counts of stored payments (services/review-rules.ts); zeros when not asked. */
	velocity(key: string): VelocityCounts;
	/** Whether the operation ID was stored before this group (asked only with probes). */
	storedBefore(id: string): boolean;
}

/** One device's call in a group: its company, device, and its operations' customers, times and cashiers. */
export interface SyncBatchCall {
	companyId: number;
	deviceId: string;
	customerIds: readonly string[];
	times: readonly Date[];
	cashierIds?: readonly string[];
}

/** What a group is opened with; `now` is recorded as each device's last sync. */
export interface SyncBatchInput {
	calls: readonly SyncBatchCall[];
	/** The review rules' questions (none: nothing counted). */
	probes?: readonly VelocityProbe[];
	/** The group's operation IDs: which of them are stored already (asked only with probes). */
	groupIds?: readonly string[];
	now: Date;
}

const key = (companyId: number, id: string) => `${companyId}:${id}`;
const json = (value: unknown) => JSON.stringify(value);
const unique = <T>(values: Iterable<T>) => [...new Set(values)];

/**
 * Opens a sync group in one round trip: records each terminal's last sync (when it is the
 * company's; the row lock also makes batches of one terminal take turns, and several rows are
 * locked in key order, so two groups cannot deadlock on them: touchDevices), and reads the companies'
 * status, the customers and cashiers (set lookups on their keys) and, per company, the slice
 * of the rate history that covers its operations: the rate in force at the earliest time and
 * every change up to the latest (usually one row, read off the (company_id, effective_from)
 * key). Each operation's rate is then the latest of those rows with effective_from <= its time.
 * Also, per company, the money limits in force now (services/money-limits.ts).
 * Lists travel as JSON, which postgres.js and PGlite pass alike; keys as `= any(array(…))`,
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
	const statuses = new Map(Object.entries(parse(row.companies) ?? {}));
	const devices = new Set(parse(row.devices) ?? []);
	const cashiers = new Set(parse(row.cashiers) ?? []);
	const rates = new Map(
		Object.entries(parse(row.rates) ?? {}).map(([companyId, history]) => [
			companyId,
			rateLookup(history ?? [])
		])
	);
	const limits = new Map(Object.entries(parse(row.limits) ?? {}));
	const revocations = new Map(Object.entries(parse(row.revocations) ?? {}));
	const counts = new Map(Object.entries(parse(row.velocity) ?? {}));
	const stored = new Set(parse(row.stored) ?? []);
	const campaigns = new Map(
		Object.entries(parse<Record<string, { z: string; k: Campaign[] }>>(row.campaigns) ?? {})
	);
	const campaignCap = Number(row.campaign_cap ?? 10_000);
	return {
		transactionTime: new Date(row.transaction_time),
		companyStatus: (companyId) => statuses.get(String(companyId)) ?? null,
		hasDevice: (companyId, deviceId) => devices.has(key(companyId, deviceId.toLowerCase())),
		customerNames: new Map(Object.entries(parse(row.customers) ?? {})),
		hasCashier: (companyId, cashierId) => cashiers.has(key(companyId, cashierId.toLowerCase())),
		rateAt: (companyId, at) => rates.get(String(companyId))?.(at) ?? null,
		campaignRate: (companyId, contractRateBp, at) => {
			const offer = campaigns.get(String(companyId));
			return offer
				? rateInForce(contractRateBp, offer.k, at, offer.z, campaignCap)
				: { rateBp: contractRateBp, campaignId: null };
		},
		moneyLimits: (companyId) => {
			const pair = limits.get(String(companyId));
			return pair ? { maxBillKopecks: Number(pair[0]), maxCashbackKopecks: Number(pair[1]) } : null;
		},
		revocation: (companyId, deviceId) => {
			const r = revocations.get(key(companyId, deviceId.toLowerCase()));
			return r ? { at: new Date(r[0] / 1000), mode: r[1] } : null;
		},
		velocity: (probeKey) => {
			const c = counts.get(probeKey);
			return {
				hour: Number(c?.[0] ?? 0),
				actorDay: Number(c?.[1] ?? 0),
				largeDay: Number(c?.[2] ?? 0)
			};
		},
		storedBefore: (id) => stored.has(id)
	};
}

/** The statement openSyncBatch runs (exported for the test that reads its plan). */
export function syncBatchStatement(input: SyncBatchInput) {
	const calls = input.calls;
	const companyIds = unique(calls.map((c) => c.companyId));
	const customerIds = unique(calls.flatMap((c) => c.customerIds));
	const cashierIds = unique(
		calls.flatMap((c) => (c.cashierIds ?? []).map((id) => id.toLowerCase()))
	);
	// Per company, the span of its operations' times; with no time to price, an empty slice.
	const spans = new Map<number, { first: number; last: number }>();
	for (const call of calls) {
		const span = spans.get(call.companyId) ?? { first: Infinity, last: -Infinity };
		for (const t of call.times) {
			span.first = Math.min(span.first, t.getTime());
			span.last = Math.max(span.last, t.getTime());
		}
		spans.set(call.companyId, span);
	}
	// Campaigns (issue 22) in reach of the group's earliest operation.
	const firstTimes = [...spans.values()].map((s) => s.first).filter(Number.isFinite);
	const earliest = new Date(firstTimes.length ? Math.min(...firstTimes) : input.now.getTime());
	const slices = [...spans].map(([c, { first, last }]) => ({
		c,
		f: new Date(Number.isFinite(first) ? first : 0).toISOString(),
		t: new Date(Number.isFinite(last) ? last : -1).toISOString()
	}));
	return sql<{
		transaction_time: Date;
		companies: Record<string, CompanyStatus> | string | null;
		devices: string[] | string | null;
		customers: Record<string, string> | string | null;
		cashiers: string[] | string | null;
		rates: Record<string, RateChange[] | null> | string | null;
		limits: Record<string, [number, number]> | string | null;
		revocations: Record<string, [number, RevokeMode]> | string | null;
		velocity: Record<string, [number, number, number]> | string | null;
		stored: string[] | string | null;
		campaigns: Record<string, { z: string; k: Campaign[] }> | string | null;
		campaign_cap: number | null;
	}>`
		with ${touchDevices(input.now, calls)}
		select
			now() as transaction_time,
			(select jsonb_object_agg(id, status) from companies
				where id = any(array(select jsonb_array_elements_text((${json(companyIds)}::text)::jsonb)::integer))
			) as companies,
			(select jsonb_agg(company_id::text || ':' || id::text) from touched) as devices,
			(select jsonb_object_agg(c.id, c.name) from (
				select id, name from customers
				where id = any(array(select jsonb_array_elements_text((${json(customerIds)}::text)::jsonb)))
					and erased_at is null
				for key share
			) c) as customers,
			${
				cashierIds.length === 0
					? sql`null`
					: sql`(select jsonb_agg(company_id::text || ':' || id::text) from cashiers
				where id = any(array(select jsonb_array_elements_text((${json(cashierIds)}::text)::jsonb)::uuid)))`
			} as cashiers,
			(select jsonb_object_agg(k.c, (
				select jsonb_agg(jsonb_build_object('rate_bp', r.rate_bp,
						'from_us', (extract(epoch from r.effective_from) * 1000000)::bigint)
						order by r.effective_from)
				from company_rates r
				where r.company_id = k.c
					and r.effective_from <= k.t
					and r.effective_from >= coalesce(
						(select max(effective_from) from company_rates
							where company_id = k.c and effective_from <= k.f),
						'-infinity')))
				from jsonb_to_recordset((${json(slices)}::text)::jsonb) as k(c integer, f timestamptz, t timestamptz)
			) as rates,
			(select jsonb_object_agg(l.company_id, jsonb_build_array(l.max_bill_kopecks,
					l.max_cashback_kopecks))
				from companies c cross join lateral (
					select company_id, max_bill_kopecks, max_cashback_kopecks from company_money_limits
					where company_id = c.id and effective_from <= now()
					order by effective_from desc limit 1) l
				where c.id = any(array(select jsonb_array_elements_text((${json(companyIds)}::text)::jsonb)::integer))
			) as limits,
			(select jsonb_object_agg(company_id::text || ':' || id::text, jsonb_build_array(
					(extract(epoch from revoked_at) * 1000000)::bigint, revoke_mode))
				from touched where revoked_at is not null and paired) as revocations,
			${velocityCounts(input)} as velocity,
			${storedIds(input)} as stored,
			${campaignsJson(json(companyIds), earliest)} as campaigns,
			${campaignCapNow} as campaign_cap`;
}

/**
 * The CTE `touched (company_id, id)`: the devices of the group that are their company's, their
 * last sync set to `now`. Several devices are locked in key order first: an UPDATE alone locks
 * in the order its scan meets the rows, the heap's, which every update of a row changes (two
 * processes' groups deadlocked on it). One device (a call alone, the usual case when the
 * server is not busy) needs no order and is updated by its key alone.
 */
function touchDevices(now: Date, calls: readonly SyncBatchCall[]) {
	const first = calls[0]!;
	const deviceIds = unique(calls.map((c) => c.deviceId.toLowerCase())).sort();
	const deviceKeys = unique(calls.map((c) => key(c.companyId, c.deviceId.toLowerCase())));
	if (deviceKeys.length === 1)
		return sql`touched as (
			update devices set last_sync_at = ${now}
			where id = ${first.deviceId.toLowerCase()} and company_id = ${first.companyId}
			returning company_id, id, revoked_at, revoke_mode, credential_hash is not null as paired
		)`;
	return sql`locked as (
			select id from devices
			where id = any(array(select jsonb_array_elements_text((${json(deviceIds)}::text)::jsonb)::uuid))
				and (company_id::text || ':' || id::text)
					= any(array(select jsonb_array_elements_text((${json(deviceKeys)}::text)::jsonb)))
			order by id
			for no key update
		),
		touched as (
			update devices set last_sync_at = ${now}
			where id = any(array(select id from locked))
			returning company_id, id, revoked_at, revoke_mode, credential_hash is not null as paired
		)`;
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
