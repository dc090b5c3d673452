import { hash } from 'node:crypto';
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { rateInForce, type Campaign } from '../../src/lib/domain/campaign';
import type { CompanyStatus, Database } from '../db/types';
import { campaignCapNow, campaignsJson } from './campaigns';

type Db = Kysely<Database> | Transaction<Database>;

/** What a redemption needs to know before it checks the code, read in one statement. */
export interface RedemptionContext {
	companyStatus: CompanyStatus | null;
	/** The device, when it is one of the company's. */
	deviceId: string | null;
	customerName: string | null;
	/**
	 * Rate in force at the moment asked for — a campaign's when one is (issue 22,
	 * src/lib/domain/campaign.ts); null before the company's first rate.
	 */
	rateBp: number | null;
	/** The contract rate then, and the campaign that raised it (null: none). */
	contractRateBp: number | null;
	campaignId: number | null;
	/** Largest share of a bill payable with cashback then (0 = not accepted). */
	redeemMaxBp: number;
}

export async function getRedemptionContext(
	db: Db,
	input: { companyId: number; deviceId: string; customerId: string; at: Date }
): Promise<RedemptionContext> {
	const result = await sql<RedemptionContextRow>`select ${redemptionContextColumns(input)}`.execute(
		db
	);
	const row = result.rows[0];
	if (!row) throw new Error('getRedemptionContext: no row');
	return redemptionContextOf(row, input.companyId, input.at);
}

/** The context's raw columns, as getRedemptionContext reads them. */
export interface RedemptionContextRow {
	company_status: CompanyStatus | null;
	device_id: string | null;
	customer_name: string | null;
	rate_bp: number | null;
	redeem_max_bp: number | null;
	campaigns: Record<string, { z: string; k: Campaign[] }> | string | null;
	campaign_cap: number | null;
}

type SqlValue<T> = T | RawBuilder<unknown>;

/**
 * SQL: the context's columns — values, or columns of an outer statement (the till API reads a
 * quote's context with its key check: repositories/api-callers.ts).
 */
export function redemptionContextColumns(input: {
	companyId: SqlValue<number>;
	deviceId: SqlValue<string>;
	customerId: SqlValue<string>;
	at: SqlValue<Date>;
}) {
	const at = sql`${input.at}::timestamptz`;
	return sql`
			(select status from companies where id = ${input.companyId}) as company_status,
			(select id from devices where id = ${input.deviceId} and company_id = ${input.companyId})
				as device_id,
			(select name from customers where id = ${input.customerId}) as customer_name,
			(select rate_bp from company_rates where company_id = ${input.companyId}
				and effective_from <= ${at} order by effective_from desc limit 1) as rate_bp,
			(select redeem_max_bp from company_redeem_limits where company_id = ${input.companyId}
				and effective_from <= ${at} order by effective_from desc limit 1) as redeem_max_bp,
			${campaignsJson(typeof input.companyId === 'number' ? JSON.stringify([input.companyId]) : sql`jsonb_build_array(${input.companyId})`, input.at)} as campaigns,
			${campaignCapNow} as campaign_cap`;
}

/** The context from its columns: the rate in force at `at` by the campaign rules. */
export function redemptionContextOf(
	row: RedemptionContextRow,
	companyId: number,
	at: Date
): RedemptionContext {
	const contract = row.rate_bp ?? null;
	const campaigns =
		typeof row.campaigns === 'string' ? JSON.parse(row.campaigns) : (row.campaigns ?? {});
	const offer = campaigns[String(companyId)] as { z: string; k: Campaign[] } | undefined;
	const priced =
		contract !== null && offer
			? rateInForce(contract, offer.k, at, offer.z, Number(row.campaign_cap ?? 10_000))
			: { rateBp: contract, campaignId: null };
	return {
		companyStatus: row.company_status ?? null,
		deviceId: row.device_id ?? null,
		customerName: row.customer_name ?? null,
		rateBp: priced.rateBp,
		contractRateBp: contract,
		campaignId: priced.campaignId,
		redeemMaxBp: Number(row.redeem_max_bp ?? 0)
	};
}

/** What a device says about a redemption; the code is consent, not content. */
export interface RedemptionContent {
	companyId: number;
	deviceId: string;
	customerId: string;
	billKopecks: number;
	redeemKopecks: number;
	occurredAt: Date;
	/** Who took it at a paired terminal (SPEC C10); absent for the admin's own counter. */
	cashierId?: string | null;
	shiftId?: string | null;
}

/**
 * Hash of a redemption's content, as contentHash is for a plain payment; its own prefix, so a
 * plain payment and a redemption under one ID are always a conflict.
 */
export function redemptionHash(op: RedemptionContent): string {
	const canonical = [
		'redeem-v1',
		op.companyId,
		op.deviceId.toLowerCase(),
		op.customerId,
		op.billKopecks,
		op.redeemKopecks,
		op.occurredAt.toISOString(),
		// Appended only when present, as in contentHash: earlier hashes stay valid.
		...(op.cashierId ? [`c:${op.cashierId.toLowerCase()}`] : []),
		...(op.shiftId ? [`s:${op.shiftId.toLowerCase()}`] : [])
	].join('|');
	return hash('sha256', canonical, 'hex');
}

/** A stored operation as a redemption retry reads it back. */
export async function getStoredRedemption(db: Db, id: string) {
	return db
		.selectFrom('operations')
		.select([
			'id',
			'company_id',
			'customer_id',
			'content_hash',
			'amount_kopecks',
			'redeemed_kopecks',
			'rate_bp',
			'cashback_kopecks'
		])
		.where('id', '=', id)
		.executeTakeFirst();
}

/**
 * Inserts the redemption's operation row: a payment of the whole bill whose redeemed part
 * was paid with cashback, its cashback computed on the rest. Returns false when the ID exists.
 */
export async function insertRedemption(
	trx: Transaction<Database>,
	row: {
		id: string;
		companyId: number;
		deviceId: string;
		customerId: string;
		billKopecks: number;
		redeemKopecks: number;
		rateBp: number;
		cashbackKopecks: number;
		/** The campaign and its part of the cashback (issue 22). */
		campaignId?: number | null;
		campaignKopecks?: number;
		occurredAt: Date;
		contentHash: string;
		createdBy: string | null;
		cashierId?: string | null;
		shiftId?: string | null;
	}
): Promise<boolean> {
	const inserted = await trx
		.insertInto('operations')
		.values({
			id: row.id,
			company_id: row.companyId,
			device_id: row.deviceId,
			customer_id: row.customerId,
			amount_kopecks: row.billKopecks,
			redeemed_kopecks: row.redeemKopecks,
			rate_bp: row.rateBp,
			cashback_kopecks: row.cashbackKopecks,
			campaign_id: row.campaignId ?? null,
			campaign_kopecks: row.campaignKopecks ?? 0,
			occurred_at: row.occurredAt,
			content_hash: row.contentHash,
			created_by: row.createdBy,
			cashier_id: row.cashierId ?? null,
			shift_id: row.shiftId ?? null
		})
		.onConflict((oc) => oc.column('id').doNothing())
		.returning('id')
		.executeTakeFirst();
	return inserted !== undefined;
}
