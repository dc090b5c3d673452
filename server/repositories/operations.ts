import { hash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { executeThenCommit } from '../db/commit';
import type { Database, HoldReason } from '../db/types';
import { accrueInserted } from './balances';
import { pendInserted } from './pending-cashback';
import { summaryKeys, summarySlot, summaryUpsert } from './summaries';
import { syncOutbox } from './webhook-outbox';

/** What a device says about a payment; the server adds rate, cashback and recordedAt. */
export interface OperationContent {
	companyId: number;
	deviceId: string;
	customerId: string;
	amountKopecks: number;
	occurredAt: Date;
	/** Who took it at a terminal (SPEC C10); absent for the admin's own counter. */
	cashierId?: string | null;
	shiftId?: string | null;
}

/**
 * Hash of an operation's content as sent. The same ID with the same hash is a duplicate (a
 * retry); the same ID with another hash is a conflict. The company is part of the content, so
 * an ID reused by another company is always a conflict.
 */
export function contentHash(op: OperationContent): string {
	const canonical = [
		'v1',
		op.companyId,
		op.deviceId.toLowerCase(),
		op.customerId,
		op.amountKopecks,
		op.occurredAt.toISOString(),
		// Appended only when present, so every hash stored before cashiers existed stays valid.
		...(op.cashierId ? [`c:${op.cashierId.toLowerCase()}`] : []),
		...(op.shiftId ? [`s:${op.shiftId.toLowerCase()}`] : [])
	].join('|');
	// One-shot native SHA-256: the sync hashes every operation of every batch.
	return hash('sha256', canonical, 'hex');
}

type Db = Kysely<Database> | Transaction<Database>;

/** One payment of a sync group, priced: what the insert needs per row. */
export interface PricedPayment {
	id: string;
	companyId: number;
	deviceId: string;
	/** The admin who took it at their own counter; null at a paired terminal. */
	createdBy: string | null;
	customerId: string;
	amountKopecks: number;
	rateBp: number;
	cashbackKopecks: number;
	/** ISO 8601. */
	occurredAt: string;
	contentHash: string;
	cashierId?: string | null;
	shiftId?: string | null;
	/** On hold for review (0012): cashbackKopecks is then 0 and this is what waits. */
	heldKopecks?: number;
	holdReason?: HoldReason;
	/** The campaign whose rate it took and the cashback above the contract rate (issue 22). */
	campaignId?: number;
	campaignKopecks?: number;
}

/**
 * Inserts a sync group's payments (one device's batch, or several devices' batches that share
 * a transaction: services/sync-coalescer.ts), skipping any whose ID already exists (a retry, a
 * concurrent loop or a reused ID), with their balances and day summaries
 * (repositories/summaries.ts); returns the IDs actually inserted now (their recorded_at is the
 * transaction's now()) and how many webhook events it wrote. One statement for the whole group, the rows as one compact JSON
 * parameter (cheaper to send and parse than a dozen parameters a row); rows go in in ID order,
 * so concurrent groups over the same IDs cannot deadlock. The webhook outbox's
 * `operation.created` events of the rows inserted now, and their deliveries, go in with them
 * (repositories/webhook-outbox.ts `syncOutbox`; nothing when no endpoint subscribes). With
 * `endsTransaction` it is the transaction's last statement and commits it.
 */
export async function insertPayments(
	db: Transaction<Database>,
	payments: readonly PricedPayment[],
	options: { endsTransaction?: boolean } = {}
): Promise<{ ids: string[]; webhookEvents: number }> {
	if (payments.length === 0) return { ids: [], webhookEvents: 0 };
	const query = insertPaymentsStatement(payments).compile(db);
	// The sync's last statement: its COMMIT goes out with it (db/postgres-dialect.ts).
	const result = options.endsTransaction
		? await executeThenCommit(db, query)
		: await db.executeQuery(query);
	return {
		ids: result.rows.map((row) => row.id),
		webhookEvents: Number(result.rows[0]?.webhook_events ?? 0)
	};
}

/** The statement insertPayments runs (exported for the test that reads its plan). */
export function insertPaymentsStatement(payments: readonly PricedPayment[]) {
	const payload = JSON.stringify(
		payments.map((p) => ({
			i: p.id,
			m: p.companyId,
			d: p.deviceId,
			u: p.createdBy,
			c: p.customerId,
			a: p.amountKopecks,
			r: p.rateBp,
			k: p.cashbackKopecks,
			o: p.occurredAt,
			h: p.contentHash,
			x: p.cashierId ?? null,
			s: p.shiftId ?? null,
			n: summarySlot(p.deviceId),
			...(p.holdReason ? { hk: p.heldKopecks ?? 0, hr: p.holdReason } : {}),
			...(p.campaignId !== undefined ? { ci: p.campaignId, ck: p.campaignKopecks ?? 0 } : {})
		}))
	);
	// A campaign's rate (issue 22): its columns only when one applies, as with holds.
	const anyCampaign = payments.some((p) => p.campaignId !== undefined);
	// Held cashback (services/review-rules.ts) waits in operation_holds; only when there is any,
	// so the usual statement stays as it was.
	const anyHeld = payments.some((p) => p.holdReason);
	// The rows inserted now credit their customers' balances (customer order, so concurrent
	// groups lock balance rows in one order and never deadlock) and add to their companies'
	// day summaries, each in its device's slot, in the same statement: what is summed is
	// exactly what was inserted, and a sync makes one round trip fewer.
	return sql<{ id: string; webhook_events: number }>`
		with j as materialized (
			select * from jsonb_to_recordset((${payload}::text)::jsonb) as j(i uuid, m integer,
				d uuid, u uuid, c text, a bigint, r integer, k bigint, o timestamptz, h text, x uuid,
				s uuid, n smallint${anyHeld ? sql`, hk bigint, hr text` : sql``}${
					anyCampaign ? sql`, ci integer, ck bigint` : sql``
				})
		),
		inserted as (
			insert into operations (id, company_id, device_id, customer_id, amount_kopecks, rate_bp,
				cashback_kopecks, occurred_at, content_hash, created_by, cashier_id, shift_id${
					anyCampaign ? sql`, campaign_id, campaign_kopecks` : sql``
				})
			select j.i, j.m, j.d, j.c, j.a, j.r, j.k, j.o, j.h, j.u, j.x, j.s${
				anyCampaign ? sql`, j.ci, coalesce(j.ck, 0)` : sql``
			}
			from j
			order by j.i
			on conflict (id) do nothing
			returning id, company_id, customer_id, amount_kopecks, cashback_kopecks, occurred_at,
				campaign_kopecks
		), ${accrueInserted}, ${pendInserted},
		p as (
			select ins.company_id as c, 'payment'::text as k, ins.occurred_at as o,
				ins.amount_kopecks as a, ins.cashback_kopecks as b, 0::bigint as r,
				ins.campaign_kopecks as g, j.n
			from inserted ins join j on j.i = ins.id
		), ${summaryKeys},
		summarized as (${summaryUpsert}),
		${syncOutbox(anyHeld)}${
			anyHeld
				? sql`,
		held as (
			insert into operation_holds (operation_id, company_id, customer_id, held_kopecks, reason)
			select ins.id, ins.company_id, ins.customer_id, j.hk, j.hr
			from inserted ins join j on j.i = ins.id
			where j.hr is not null
		)`
				: sql``
		}
		select id, (select count(*) from wh_events)::int as webhook_events from inserted`;
}

/** A stored operation as the sync reads it back (no customer name: SPEC C16). */
export interface StoredOperationRow {
	id: string;
	company_id: number;
	content_hash: string;
	amount_kopecks: number;
	rate_bp: number;
	cashback_kopecks: number;
	recorded_at: Date;
	/** Set when its cashback was held for review (the original answer says so). */
	hold_reason: HoldReason | null;
	held_kopecks: number | null;
}

/** Stored operations among `ids`, whichever company they belong to; one query. */
export async function getOperationsByIds(
	db: Db,
	ids: readonly string[]
): Promise<StoredOperationRow[]> {
	if (ids.length === 0) return [];
	return db
		.selectFrom('operations as o')
		.leftJoin('operation_holds as h', 'h.operation_id', 'o.id')
		.select([
			'h.reason as hold_reason',
			'h.held_kopecks',
			'o.id',
			'o.company_id',
			'o.content_hash',
			'o.amount_kopecks',
			'o.rate_bp',
			'o.cashback_kopecks',
			'o.recorded_at'
		])
		.where('o.id', 'in', [...new Set(ids)])
		.execute();
}
