import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Campaign } from '../../src/lib/domain/campaign';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/** A campaign row as the cabinet lists it. */
export interface CampaignRow extends Campaign {
	name: string;
	createdAt: Date;
	cancelledAt: Date | null;
}

const columns = [
	'id',
	'name',
	'rate_bp as rateBp',
	sql<string>`starts_on::text`.as('startsOn'),
	sql<string>`ends_on::text`.as('endsOn'),
	'weekdays',
	'from_minute as fromMinute',
	'to_minute as toMinute',
	'created_at as createdAt',
	'cancelled_at as cancelledAt'
] as const;

/** The company's campaigns, newest first (cancelled and ended ones too: history). */
export async function listCampaigns(db: Db, companyId: number): Promise<CampaignRow[]> {
	return db
		.selectFrom('company_campaigns')
		.select(columns)
		.where('company_id', '=', companyId)
		.orderBy('starts_on', 'desc')
		.orderBy('id', 'desc')
		.execute();
}

/**
 * The campaigns a price may take at a moment from `since` on: not cancelled, ending on or after
 * the local day before `since` (a window across midnight reaches into the next day).
 */
export async function campaignsInReach(
	db: Db,
	companyId: number,
	since: Date
): Promise<Campaign[]> {
	return db
		.selectFrom('company_campaigns')
		.select([
			'id',
			'rate_bp as rateBp',
			sql<string>`starts_on::text`.as('startsOn'),
			sql<string>`ends_on::text`.as('endsOn'),
			'weekdays',
			'from_minute as fromMinute',
			'to_minute as toMinute'
		])
		.where('company_id', '=', companyId)
		.where('cancelled_at', 'is', null)
		.where('ends_on', '>=', sql<string>`(${since}::timestamptz - interval '2 days')::date`)
		.orderBy('id')
		.execute();
}

/** How many campaigns of the company are active or scheduled (not ended by `today`, not cancelled). */
export async function countLiveCampaigns(
	db: Db,
	companyId: number,
	today: string
): Promise<number> {
	const row = await db
		.selectFrom('company_campaigns')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('company_id', '=', companyId)
		.where('cancelled_at', 'is', null)
		.where('ends_on', '>=', sql<string>`${today}::date`)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export async function insertCampaign(
	trx: Transaction<Database>,
	input: Omit<Campaign, 'id'> & { companyId: number; name: string; createdBy: string | null }
): Promise<number> {
	const row = await trx
		.insertInto('company_campaigns')
		.values({
			company_id: input.companyId,
			name: input.name,
			rate_bp: input.rateBp,
			starts_on: input.startsOn,
			ends_on: input.endsOn,
			weekdays: input.weekdays,
			from_minute: input.fromMinute,
			to_minute: input.toMinute,
			created_by: input.createdBy
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/** Cancels a campaign of the company still live; false when there is none. */
export async function cancelCampaign(db: Db, companyId: number, id: number): Promise<boolean> {
	const row = await db
		.updateTable('company_campaigns')
		.set({ cancelled_at: sql<Date>`now()` })
		.where('id', '=', id)
		.where('company_id', '=', companyId)
		.where('cancelled_at', 'is', null)
		.returning('id')
		.executeTakeFirst();
	return row !== undefined;
}

/** SQL: per company (JSON), its zone and campaigns in reach of `since` (the sync's batch). */
export function campaignsJson(
	companyIdsJson: string | RawBuilder<unknown>,
	since: Date | RawBuilder<unknown>
) {
	return sql<Record<string, { z: string; k: Campaign[] }> | string | null>`(
		select jsonb_object_agg(c.id, jsonb_build_object('z', c.time_zone, 'k', k.list))
		from companies c
		cross join lateral (
			select jsonb_agg(jsonb_build_object('id', cc.id, 'rateBp', cc.rate_bp,
				'startsOn', cc.starts_on::text, 'endsOn', cc.ends_on::text, 'weekdays', cc.weekdays,
				'fromMinute', cc.from_minute, 'toMinute', cc.to_minute) order by cc.id) as list
			from company_campaigns cc
			where cc.company_id = c.id and cc.cancelled_at is null
				and cc.ends_on >= (${since}::timestamptz - interval '2 days')::date
		) k
		where c.id = any(array(select jsonb_array_elements_text((${companyIdsJson}::text)::jsonb)::integer))
			and k.list is not null)`;
}

/** SQL: the operator's campaign ceiling in force now. */
export const campaignCapNow = sql<number>`(select campaign_max_bp from program_rules
	where effective_from <= now() order by effective_from desc, id desc limit 1)`;
