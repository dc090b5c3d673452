import { sql } from 'kysely';

/*
 * The review rules' part of the sync's opening statement (repositories/sync-batch.ts,
 * services/review-rules.ts): per operation, how many payments of its customer at its company
 * are stored around it, and which of the group's IDs are stored already.
 */

const json = (value: unknown) => JSON.stringify(value);

/**
 * Stored payments of one customer at one company in the day up to a moment: in its last hour, by one actor (a cashier, else a device), and at least a
 * threshold amount (services/review-rules.ts decides what they mean).
 */
export interface VelocityCounts {
	hour: number;
	actorDay: number;
	largeDay: number;
}

/** What the review rules ask about one operation of the group (see VelocityCounts). */
export interface VelocityProbe {
	key: string;
	companyId: number;
	customerId: string;
	at: Date;
	actor: string;
	largeFrom: LargeFrom;
}

/** The near-limit threshold: basis points of the bill limit in force, or of `fallback` without one. */
export interface LargeFrom {
	bp: number;
	fallbackKopecks: number;
}

/** What the velocity columns of the opening statement are asked. */
export interface VelocityInput {
	probes?: readonly VelocityProbe[];
	groupIds?: readonly string[];
}

/**
 * Per probe, the stored payments of its customer at its company in the 24 hours up to its
 * moment (the operations_customer_idx range): [in the last
 * hour, by the same actor, of at least the near-limit amount]. Null without probes.
 */
export function velocityCounts(input: VelocityInput) {
	const probes = input.probes ?? [];
	if (probes.length === 0) return sql`null`;
	const payload = probes.map((p) => ({
		k: p.key,
		c: p.companyId,
		u: p.customerId,
		t: p.at.toISOString(),
		a: p.actor,
		b: p.largeFrom.bp,
		f: p.largeFrom.fallbackKopecks
	}));
	return sql`(select jsonb_object_agg(q.k, jsonb_build_array(v.h, v.d, v.n))
		from jsonb_to_recordset((${json(payload)}::text)::jsonb)
			as q(k text, c integer, u text, t timestamptz, a text, b integer, f bigint)
		cross join lateral (
			select (coalesce((select max_bill_kopecks from company_money_limits
				where company_id = q.c and effective_from <= now()
				order by effective_from desc limit 1), q.f) * q.b + 9999) / 10000 as large
		) l
		cross join lateral (
			select count(*) filter (where o.occurred_at > q.t - interval '1 hour') as h,
				count(*) filter (where coalesce(o.cashier_id, o.device_id)::text = q.a) as d,
				count(*) filter (where o.amount_kopecks >= l.large) as n
			from operations o
			where o.customer_id = q.u and o.company_id = q.c and o.kind = 'payment'
				and o.occurred_at > q.t - interval '24 hours' and o.occurred_at <= q.t
		) v)`;
}

/**
 * The group's IDs stored before it (primary key probes), so the review rules count a re-sent
 * one once: it is in the stored counts already. Null without probes.
 */
export function storedIds(input: VelocityInput) {
	if ((input.probes ?? []).length === 0) return sql`null`;
	return sql`(select jsonb_agg(id::text) from operations
		where id = any(array(select jsonb_array_elements_text((${json(input.groupIds ?? [])}::text)::jsonb)::uuid)))`;
}
