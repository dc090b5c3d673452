import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/** The operator's program rules (0030, SPEC C15). */
export interface ProgramRules {
	holdDays: number;
	/** 0 = never. */
	expiryMonths: number;
	campaignMaxBp: number;
	effectiveFrom: Date;
}

export const HOLD_DAYS_MAX = 30;
export const EXPIRY_MONTHS_MIN = 3;
export const EXPIRY_MONTHS_MAX = 24;

/** Whether a rules change is in range (hold 0–30 days; expiry 0 or 3–24 months). */
export function validRules(input: {
	holdDays: number;
	expiryMonths: number;
	campaignMaxBp: number;
}) {
	return (
		Number.isInteger(input.holdDays) &&
		input.holdDays >= 0 &&
		input.holdDays <= HOLD_DAYS_MAX &&
		Number.isInteger(input.expiryMonths) &&
		(input.expiryMonths === 0 ||
			(input.expiryMonths >= EXPIRY_MONTHS_MIN && input.expiryMonths <= EXPIRY_MONTHS_MAX)) &&
		Number.isInteger(input.campaignMaxBp) &&
		input.campaignMaxBp >= 1 &&
		input.campaignMaxBp <= 10_000
	);
}

/** Every change, newest first (the history is kept). */
export async function listProgramRules(db: Db): Promise<ProgramRules[]> {
	const rows = await db
		.selectFrom('program_rules')
		.select(['hold_days', 'expiry_months', 'campaign_max_bp', 'effective_from'])
		.orderBy('effective_from', 'desc')
		.orderBy('id', 'desc')
		.execute();
	return rows.map((r) => ({
		holdDays: r.hold_days,
		expiryMonths: r.expiry_months,
		campaignMaxBp: r.campaign_max_bp,
		effectiveFrom: new Date(r.effective_from)
	}));
}

/** The rules in force now. */
export async function getProgramRules(db: Db): Promise<ProgramRules> {
	const row = await db
		.selectFrom('program_rules')
		.select(['hold_days', 'expiry_months', 'campaign_max_bp', 'effective_from'])
		.where('effective_from', '<=', sql<Date>`now()`)
		.orderBy('effective_from', 'desc')
		.orderBy('id', 'desc')
		.limit(1)
		.executeTakeFirst();
	return {
		holdDays: row?.hold_days ?? 0,
		expiryMonths: row?.expiry_months ?? 0,
		campaignMaxBp: row?.campaign_max_bp ?? 10_000,
		effectiveFrom: new Date(row?.effective_from ?? 0)
	};
}

/** A change of the rules, in force from now (the earlier rows stay: history). */
export async function setProgramRules(
	db: Db,
	input: { holdDays: number; expiryMonths: number; campaignMaxBp?: number; userId: string | null }
): Promise<void> {
	const campaignMaxBp = input.campaignMaxBp ?? (await getProgramRules(db)).campaignMaxBp;
	if (!validRules({ ...input, campaignMaxBp })) throw new RangeError('program rules out of range');
	await db
		.insertInto('program_rules')
		.values({
			hold_days: input.holdDays,
			expiry_months: input.expiryMonths,
			campaign_max_bp: campaignMaxBp,
			effective_from: sql<Date>`now()`,
			created_by: input.userId
		})
		.execute();
}
