import { sql, type Kysely } from 'kysely';
import { computeCashback } from '../../../src/lib/domain/money';
import { uuidv7 } from '../../../src/lib/domain/uuid';
import type { Database } from '../../../server/db/types';
import { applyToSummaries } from '../../../server/repositories/summaries';

export type LedgerEntry =
	| {
			kind: 'payment';
			amount: number;
			redeemed?: number;
			at: string;
			rateBp?: number;
			customerId?: string;
	  }
	| { kind: 'refund'; of: string; at: string };

/**
 * A ledger row written as a movement would write it, with its summaries in the same
 * transaction: a payment (optionally partly paid with cashback, as a redemption stores it) or
 * the refund of one.
 */
export async function recordOperation(
	db: Kysely<Database>,
	companyId: number,
	op: LedgerEntry
): Promise<string> {
	// A refund's ID is derived from its payment's (migration 0008_partitions).
	const id =
		op.kind === 'refund'
			? (await sql<{ id: string }>`select operation_refund_id(${op.of}::uuid) as id`.execute(db))
					.rows[0]!.id
			: uuidv7();
	await db.transaction().execute(async (trx) => {
		if (op.kind === 'payment') {
			const redeemed = op.redeemed ?? 0;
			const cashback = computeCashback(op.amount - redeemed, op.rateBp ?? 1000);
			await trx
				.insertInto('operations')
				.values({
					id,
					company_id: companyId,
					customer_id: op.customerId ?? '123455',
					amount_kopecks: op.amount,
					rate_bp: op.rateBp ?? 1000,
					cashback_kopecks: cashback,
					redeemed_kopecks: redeemed,
					occurred_at: op.at,
					content_hash: `test:${id}`
				})
				.execute();
			await applyToSummaries(trx, [
				{
					companyId,
					kind: 'payment',
					occurredAt: op.at,
					amountKopecks: op.amount,
					cashbackKopecks: cashback,
					redeemedKopecks: redeemed
				}
			]);
		} else {
			const original = await trx
				.selectFrom('operations')
				.selectAll()
				.where('id', '=', op.of)
				.executeTakeFirstOrThrow();
			await trx
				.insertInto('operations')
				.values({
					id,
					kind: 'refund',
					company_id: companyId,
					customer_id: original.customer_id,
					amount_kopecks: -original.amount_kopecks,
					rate_bp: original.rate_bp,
					cashback_kopecks: -original.cashback_kopecks,
					redeemed_kopecks: -original.redeemed_kopecks,
					occurred_at: op.at,
					content_hash: `refund:${op.of}`,
					reverses_id: op.of
				})
				.execute();
			await applyToSummaries(trx, [
				{
					companyId,
					kind: 'refund',
					occurredAt: op.at,
					amountKopecks: -original.amount_kopecks,
					cashbackKopecks: -original.cashback_kopecks,
					redeemedKopecks: -original.redeemed_kopecks
				}
			]);
		}
	});
	return id;
}
