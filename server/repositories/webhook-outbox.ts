import { sql, type Kysely, type Transaction } from 'kysely';
import { executeThenCommit } from '../db/commit';
import type { Database } from '../db/types';
import type { EventType } from '../services/webhook-events';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The transactional outbox (SPEC C14). Events are written by the transaction that makes the
 * change, in the same statement set: an event row plus one delivery per enabled endpoint that
 * subscribes to its type (a company's own endpoints; the operator's platform endpoints, which
 * have no company, for platform event types). Nothing is written when no endpoint subscribes.
 */
export async function recordEvent(
	trx: Db,
	event: { companyId: number | null; type: EventType; data: unknown }
): Promise<void> {
	await recordEvents(trx, [event]);
}

/** recordEvent for several events of one transaction, in one statement. */
export async function recordEvents(
	trx: Db,
	events: readonly { companyId: number | null; type: EventType; data: unknown }[]
): Promise<void> {
	if (events.length === 0) return;
	const payload = JSON.stringify(
		events.map((e, o) => ({ c: e.companyId, t: e.type, d: e.data, o }))
	);
	await sql`
		with j as materialized (
			select * from jsonb_to_recordset((${payload}::text)::jsonb) as j(c integer, t text, d jsonb, o integer)
		),
		ev as (
			insert into webhook_events (company_id, type, data)
			select j.c, j.t, j.d from j
			where exists (${subscribers(sql`j.c`, sql`j.t`)})
			order by j.o
			returning id, company_id, type
		)
		insert into webhook_deliveries (event_id, endpoint_id)
		select ev.id, e.id from ev
		join lateral (${subscribers(sql`ev.company_id`, sql`ev.type`)}) e on true
		order by ev.id`.execute(trx);
}

/** The enabled endpoints subscribed to events of `type` about company `company`. */
function subscribers(company: ReturnType<typeof sql>, type: ReturnType<typeof sql>) {
	return sql`select e.id from webhook_endpoints e
		where e.enabled and ${type} = any(e.events)
			and (e.company_id = ${company} or e.company_id is null)`;
}

/**
 * The sync's outbox, as CTEs of its one INSERT statement (repositories/operations.ts): an
 * `operation.created` event for each payment inserted now whose company has an enabled endpoint
 * subscribed, and its deliveries. Expects the CTEs `inserted` (id, company_id, customer_id,
 * amount_kopecks, cashback_kopecks, occurred_at) and `j` (i, d, r, x, and hk when `anyHeld`).
 */
export const syncOutbox = (anyHeld: boolean) => sql`
		subscribed as materialized (
			select e.id, e.company_id from webhook_endpoints e
			where e.enabled and 'operation.created' = any(e.events) and e.company_id is not null
				and e.company_id in (select distinct company_id from inserted)
		),
		wh_events as (
			insert into webhook_events (company_id, type, data)
			select ins.company_id, 'operation.created', jsonb_build_object(
				'operationId', ins.id, 'companyId', ins.company_id, 'kind', 'payment',
				'customerId', ins.customer_id, 'deviceId', j.d, 'cashierId', j.x,
				'billKopecks', ins.amount_kopecks, 'redeemedKopecks', 0, 'rateBp', j.r,
				'cashbackKopecks', ins.cashback_kopecks, 'heldCashbackKopecks', ${anyHeld ? sql`coalesce(j.hk, 0)` : sql`0`},
				'occurredAt', to_char(ins.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
			from inserted ins join j on j.i = ins.id
			where ins.company_id in (select company_id from subscribed)
			order by ins.id
			returning id, company_id
		),
		wh_deliveries as (
			insert into webhook_deliveries (event_id, endpoint_id)
			select ev.id, s.id from wh_events ev join subscribed s on s.company_id = ev.company_id
		)`;

/** A delivery claimed for one attempt, with what sending it needs. */
export interface ClaimedDelivery {
	id: number;
	attempts: number;
	event_id: string;
	type: string;
	/** The delivery's body, built by the claim: `{ id, type, timestamp, data }` as JSON text. */
	body: string;
	endpoint_id: string;
	company_id: number | null;
	url: string;
	secret_sealed: string;
	previous_secret_sealed: string | null;
	previous_secret_until: Date | null;
	failing_since: Date | null;
}

/**
 * Claims up to `limit` due deliveries of enabled endpoints, oldest first: FOR UPDATE SKIP
 * LOCKED, so concurrent workers (other processes) take different rows, and a lease — the
 * row's next attempt moved `leaseSeconds` ahead and its attempt counted — so a worker that dies
 * mid-send leaves it to be claimed again once the lease runs out (at least once).
 *
 * The due rows are read in order by the due index, which stops after `limit` rows: the
 * endpoint's `enabled` is a subquery per row (a join needed a sort of every due row), and the
 * plans are kept to keys (keyedPlans).
 */
export async function claimDue(
	db: Kysely<Database>,
	limit: number,
	leaseSeconds: number
): Promise<ClaimedDelivery[]> {
	return db.transaction().execute(async (trx) => {
		await keyedPlans(trx);
		const { rows } = await executeThenCommit(trx, claimStatement(limit, leaseSeconds).compile(trx));
		return rows;
	});
}

/** The claim's one statement (exported for the test that reads its plan). */
export function claimStatement(limit: number, leaseSeconds: number) {
	return sql<ClaimedDelivery>`
		with due as (
			select d.id from webhook_deliveries d
			where d.status = 'pending' and d.next_attempt_at <= now()
				and (select e.enabled from webhook_endpoints e where e.id = d.endpoint_id)
			order by d.next_attempt_at, d.id
			limit ${limit}
			for update of d skip locked
		),
		claimed as (
			update webhook_deliveries d
			set next_attempt_at = now() + make_interval(secs => ${leaseSeconds}), attempts = d.attempts + 1
			from due where d.id = due.id
			returning d.id, d.attempts, d.event_id, d.endpoint_id
		)
		select c.id, c.attempts, c.event_id, ev.type,
			json_build_object('id', 'msg_' || replace(ev.id::text, '-', ''), 'type', ev.type,
				'timestamp', to_char(ev.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
				'data', ev.data)::text as body,
			c.endpoint_id, e.company_id, e.url, e.secret_sealed, e.previous_secret_sealed,
			e.previous_secret_until, e.failing_since
		from claimed c
		join webhook_events ev on ev.id = c.event_id
		join webhook_endpoints e on e.id = c.endpoint_id
		order by c.id`;
}

export interface AttemptResult {
	statusCode: number | null;
	durationMs: number;
	responseHead: string | null;
	error: string | null;
}

/** One attempt's result and what follows from it (services/webhook-worker.ts decides). */
export interface AttemptRecord {
	deliveryId: number;
	endpointId: string;
	result: AttemptResult;
	outcome: 'delivered' | 'retry' | 'failed';
	retryInSeconds?: number;
	disable?: 'gone' | 'failing';
}

/**
 * Records a round's attempts in one statement: each attempt in the log; its delivery
 * delivered, due again `retryInSeconds` later, or failed for good; and per endpoint its failing
 * streak (cleared by any success, started by a failure) and, on `disable` (410, or failing for
 * too long), the endpoint disabled. An endpoint row is written only when that changes it.
 */
export async function recordAttempts(
	db: Kysely<Database>,
	records: readonly AttemptRecord[]
): Promise<void> {
	if (records.length === 0) return;
	await db.transaction().execute(async (trx) => {
		await keyedPlans(trx);
		await executeThenCommit(trx, recordStatement(records).compile(trx));
	});
}

/**
 * For the queue's statements, in their transaction: rows by key, never a bitmap or sequential
 * scan of the queue. Its statistics lag behind it (a queue table changes fast, and the first
 * minute of a busy endpoint has none), and with them the planner read every due index entry —
 * dead ones too, which a bitmap scan never marks dead — or every row, for each round: a cost
 * growing with the deliveries made since the last vacuum (measured on a fresh queue after
 * 10 000 deliveries: 18 ms to claim 64 and 24 ms to record them; 1.5 and 1.8 ms by key).
 */
async function keyedPlans(trx: Transaction<Database>): Promise<void> {
	await sql.raw(KEYED_PLANS).execute(trx);
}

/** What keyedPlans runs (the plans' test runs it too). */
export const KEYED_PLANS =
	"select set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true)";

/** The statement recordAttempts runs (exported for the test that reads its plan). */
export function recordStatement(records: readonly AttemptRecord[]) {
	const payload = JSON.stringify(
		records.map((r) => ({
			d: r.deliveryId,
			e: r.endpointId,
			s: r.result.statusCode,
			ms: Math.round(r.result.durationMs),
			h: r.result.responseHead,
			x: r.result.error,
			o: r.outcome,
			w: r.retryInSeconds ?? 5,
			g: r.disable ?? null
		}))
	);
	return sql`
		with j as materialized (
			select * from jsonb_to_recordset((${payload}::text)::jsonb) as j(d bigint, e uuid, s integer,
				ms integer, h text, x text, o text, w integer, g text)
		),
		attempts as (
			insert into webhook_attempts (delivery_id, endpoint_id, status_code, duration_ms, response_head, error)
			select j.d, j.e, j.s, j.ms, j.h, j.x from j
		),
		deliveries as (
			update webhook_deliveries wd
			set status = case j.o when 'delivered' then 'delivered' when 'failed' then 'failed' else wd.status end,
				delivered_at = case when j.o = 'delivered' then now() else wd.delivered_at end,
				next_attempt_at = case when j.o = 'retry' then now() + make_interval(secs => j.w)
					else wd.next_attempt_at end
			-- Still pending, said so that the planner cannot take the partial index of pending
			-- rows (it read them all rather than the round's few by key).
			from j where wd.id = j.d and wd.status <> 'delivered' and wd.status <> 'failed'
		),
		per_endpoint as (
			select j.e, bool_or(j.o = 'delivered') as ok, max(j.g) as disable from j group by j.e
		)
		update webhook_endpoints e
		set failing_since = case when p.ok then null else coalesce(e.failing_since, now()) end,
			enabled = case when p.disable is not null then false else e.enabled end,
			disabled_reason = coalesce(p.disable, e.disabled_reason),
			disabled_at = case when p.disable is not null then now() else e.disabled_at end
		from per_endpoint p
		where e.id = p.e
			and (p.disable is not null or (p.ok and e.failing_since is not null)
				or (not p.ok and e.failing_since is null))`;
}

/** Pending deliveries of enabled endpoints and the age of the oldest (seconds), for metrics. */
export async function queueStats(db: Db): Promise<{ depth: number; oldestSeconds: number }> {
	const { rows } = await sql<{ depth: number; oldest: number | null }>`
		select count(*)::int as depth,
			extract(epoch from now() - min(d.created_at))::float8 as oldest
		from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id and e.enabled
		where d.status = 'pending'`.execute(db);
	return { depth: Number(rows[0]?.depth ?? 0), oldestSeconds: Number(rows[0]?.oldest ?? 0) };
}

/** The log is kept 30 days: events older than that, none of whose deliveries is pending. */
export async function purgeOld(db: Db, days = 30): Promise<number> {
	const result = await sql`
		delete from webhook_events ev
		where ev.created_at < now() - make_interval(days => ${days})
			and not exists (select 1 from webhook_deliveries d where d.event_id = ev.id and d.status = 'pending')`.execute(
		db
	);
	return Number(result.numAffectedRows ?? 0);
}
