import type { Kysely } from 'kysely';
import { localMoment, MAX_ACTIVE_CAMPAIGNS, type Campaign } from '../../src/lib/domain/campaign';
import type { Database } from '../db/types';
import {
	campaignsInReach,
	cancelCampaign,
	countLiveCampaigns,
	insertCampaign,
	listCampaigns
} from '../repositories/campaigns';
import { getProgramRules } from '../repositories/program-rules';
import { getRateAt } from '../repositories/rates';

/*
 * «Акции» (issue 22, SPEC C15): a company's campaigns. Created by the company's admin, at a rate
 * never below its contract rate and never above the operator's ceiling, at most
 * MAX_ACTIVE_CAMPAIGNS active or scheduled at once. Which rate a payment takes is
 * src/lib/domain/campaign.ts's rule, on the server (sync pricing) and at the counter alike.
 */

export type CampaignError =
	| 'below_contract'
	| 'above_cap'
	| 'bad_dates'
	| 'bad_hours'
	| 'no_weekdays'
	| 'too_many'
	| 'no_rate';

export interface CampaignInput {
	name: string;
	rateBp: number;
	startsOn: string;
	endsOn: string;
	weekdays: number;
	fromMinute: number;
	toMinute: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** What the counter caches with the rate: the campaigns in reach and the ceiling. */
export async function liveOffer(db: Kysely<Database>, companyId: number) {
	const [campaigns, rules] = await Promise.all([
		campaignsInReach(db, companyId, new Date()),
		getProgramRules(db)
	]);
	return { campaigns: campaigns as Campaign[], campaignCapBp: rules.campaignMaxBp };
}

export function companyCampaigns(db: Kysely<Database>, companyId: number) {
	return listCampaigns(db, companyId);
}

export async function createCampaign(
	db: Kysely<Database>,
	input: CampaignInput & { companyId: number; userId: string | null; now?: Date }
): Promise<{ ok: true; id: number } | { ok: false; error: CampaignError }> {
	const now = input.now ?? new Date();
	if (!DAY.test(input.startsOn) || !DAY.test(input.endsOn) || input.endsOn < input.startsOn)
		return { ok: false, error: 'bad_dates' };
	if (![input.fromMinute, input.toMinute].every((m) => Number.isInteger(m) && m >= 0 && m < 1440))
		return { ok: false, error: 'bad_hours' };
	if (!Number.isInteger(input.weekdays) || input.weekdays < 1 || input.weekdays > 127)
		return { ok: false, error: 'no_weekdays' };
	return db.transaction().execute(async (trx) => {
		// The company's row lock makes two creations take turns on the count.
		const company = await trx
			.selectFrom('companies')
			.select('time_zone')
			.where('id', '=', input.companyId)
			.forUpdate()
			.executeTakeFirstOrThrow();
		const today = localMoment(now, company.time_zone).day;
		if (input.endsOn < today) return { ok: false, error: 'bad_dates' } as const;
		const contract = await getRateAt(trx, input.companyId, now);
		if (contract === null) return { ok: false, error: 'no_rate' } as const;
		if (input.rateBp < contract) return { ok: false, error: 'below_contract' } as const;
		if (input.rateBp > (await getProgramRules(trx)).campaignMaxBp)
			return { ok: false, error: 'above_cap' } as const;
		if ((await countLiveCampaigns(trx, input.companyId, today)) >= MAX_ACTIVE_CAMPAIGNS)
			return { ok: false, error: 'too_many' } as const;
		const id = await insertCampaign(trx, {
			...input,
			name: input.name.trim().slice(0, 100) || 'Акция',
			createdBy: input.userId
		});
		return { ok: true, id } as const;
	});
}

export function stopCampaign(db: Kysely<Database>, companyId: number, id: number) {
	return cancelCampaign(db, companyId, id);
}
