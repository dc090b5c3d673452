import { hash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, NewOperation } from '../db/types';

/** What a device says about a payment; the server adds rate, cashback and recordedAt. */
export interface OperationContent {
	companyId: number;
	deviceId: string;
	customerId: string;
	amountKopecks: number;
	occurredAt: Date;
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
		op.occurredAt.toISOString()
	].join('|');
	// One-shot native SHA-256: the sync hashes every operation of every batch.
	return hash('sha256', canonical, 'hex');
}

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Inserts operations, skipping any whose ID already exists (a retry, a concurrent loop or a
 * reused ID); returns the IDs actually inserted now (their recorded_at is the transaction's
 * now()). One statement for the whole batch: the rows travel as one JSON parameter (cheaper
 * to send and parse than ten parameters a row) and are inserted in ID order, so concurrent
 * batches over the same IDs cannot deadlock.
 */
export async function insertOperationsIgnoringExisting(
	db: Db,
	rows: readonly NewOperation[]
): Promise<string[]> {
	if (rows.length === 0) return [];
	const payload = JSON.stringify(
		rows.map((r) => ({
			id: r.id,
			company_id: r.company_id,
			device_id: r.device_id ?? null,
			customer_id: r.customer_id,
			amount_kopecks: r.amount_kopecks,
			rate_bp: r.rate_bp,
			cashback_kopecks: r.cashback_kopecks,
			occurred_at: r.occurred_at instanceof Date ? r.occurred_at.toISOString() : r.occurred_at,
			content_hash: r.content_hash,
			created_by: r.created_by ?? null
		}))
	);
	const result = await sql<{ id: string }>`
		insert into operations (id, company_id, device_id, customer_id, amount_kopecks, rate_bp,
			cashback_kopecks, occurred_at, content_hash, created_by)
		select id, company_id, device_id, customer_id, amount_kopecks, rate_bp, cashback_kopecks,
			occurred_at, content_hash, created_by
		from jsonb_to_recordset((${payload}::text)::jsonb) as r(id uuid, company_id integer,
			device_id uuid, customer_id text, amount_kopecks bigint, rate_bp integer,
			cashback_kopecks bigint, occurred_at timestamptz, content_hash text, created_by uuid)
		order by id
		on conflict (id) do nothing
		returning id`.execute(db);
	return result.rows.map((row) => row.id);
}

/** A stored operation as the sync reads it back, with its customer's name. */
export interface StoredOperationRow {
	id: string;
	company_id: number;
	content_hash: string;
	customer_name: string;
	amount_kopecks: number;
	rate_bp: number;
	cashback_kopecks: number;
	recorded_at: Date;
}

/** Stored operations among `ids`, whichever company they belong to; one query. */
export async function getOperationsByIds(
	db: Db,
	ids: readonly string[]
): Promise<StoredOperationRow[]> {
	if (ids.length === 0) return [];
	return db
		.selectFrom('operations as o')
		.innerJoin('customers as c', 'c.id', 'o.customer_id')
		.select([
			'o.id',
			'o.company_id',
			'o.content_hash',
			'c.name as customer_name',
			'o.amount_kopecks',
			'o.rate_bp',
			'o.cashback_kopecks',
			'o.recorded_at'
		])
		.where('o.id', 'in', [...new Set(ids)])
		.execute();
}
