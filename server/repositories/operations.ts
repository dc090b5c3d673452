import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
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
	return encodeHexLowerCase(sha256(new TextEncoder().encode(canonical)));
}

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The company's rate in force at each of `times` (the latest rate with effective_from at or
 * before it), in the order given; null where no rate was in force yet. One query for any
 * number of times: a LATERAL lookup per distinct time, served by the (company_id,
 * effective_from) unique index.
 */
export async function ratesInForce(
	db: Db,
	companyId: number,
	times: readonly Date[]
): Promise<(number | null)[]> {
	const distinct = [...new Set(times.map((t) => t.toISOString()))];
	if (distinct.length === 0) return [];
	// JSON travels the same way through postgres.js and PGlite, unlike array parameters.
	const result = await sql<{ at: string; rate_bp: number | null }>`
		select t.at, r.rate_bp
		from jsonb_array_elements_text((${JSON.stringify(distinct)}::text)::jsonb) as t(at)
		left join lateral (
			select rate_bp from company_rates
			where company_id = ${companyId} and effective_from <= t.at::timestamptz
			order by effective_from desc
			limit 1
		) r on true`.execute(db);
	const byTime = new Map(result.rows.map((row) => [row.at, row.rate_bp]));
	return times.map((t) => byTime.get(t.toISOString()) ?? null);
}

/**
 * Inserts operations, skipping any whose ID already exists (a retry, a concurrent loop or a
 * reused ID); returns the rows actually inserted now. One statement for the whole batch.
 * Rows are inserted in ID order, so concurrent batches over the same IDs cannot deadlock.
 */
export async function insertOperationsIgnoringExisting(
	db: Db,
	rows: readonly NewOperation[]
): Promise<{ id: string; recorded_at: Date }[]> {
	if (rows.length === 0) return [];
	const sorted = [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	return db
		.insertInto('operations')
		.values(sorted)
		.onConflict((oc) => oc.column('id').doNothing())
		.returning(['id', 'recorded_at'])
		.execute();
}

/** A stored operation as the sync reads it back, with its customer's name. */
export interface StoredOperationRow {
	id: string;
	company_id: number;
	content_hash: string;
	customer_id: string;
	customer_name: string;
	amount_kopecks: number;
	rate_bp: number;
	cashback_kopecks: number;
	occurred_at: Date;
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
			'o.customer_id',
			'c.name as customer_name',
			'o.amount_kopecks',
			'o.rate_bp',
			'o.cashback_kopecks',
			'o.occurred_at',
			'o.recorded_at'
		])
		.where('o.id', 'in', [...new Set(ids)])
		.execute();
}
