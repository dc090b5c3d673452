import { sql, type Kysely } from 'kysely';
import { uuidv7 } from '../../src/lib/domain/uuid';
import type { Database } from '../db/types';
import { creditBalance } from '../repositories/balances';
import { decideHold, lockHold } from '../repositories/holds';
import { addPending } from '../repositories/pending-cashback';
import { applyToSummaries } from '../repositories/summaries';

/*
 * «Подозрительные операции» (issue 18, SPEC C16): payments whose cashback is held
 * (services/review-rules.ts) wait for a person — the operator for every company, the company
 * for its own. Confirming credits the held cashback then, as a ledger row of kind `release`
 * (amount 0, the held cashback, occurred and recorded now, made by the person who confirmed),
 * with the balance and the day summaries in the same transaction: statements count it in the
 * month it was credited. Cancelling credits nothing, ever. Both record who and when on the
 * hold; a hold is decided once (the row lock makes two deciders, or a decider and a refund,
 * take turns).
 */

export type ReviewError = 'not_found' | 'already_decided';
export type ReviewResult = { ok: true } | { ok: false; error: ReviewError };

/** Whose decision: a company's admin decides only its own holds; the operator any. */
export interface Reviewer {
	userId: string;
	companyId: number | null;
}

/** Credits a held payment's cashback now (a `release` ledger row). */
export function confirmHold(
	db: Kysely<Database>,
	input: Reviewer & { operationId: string }
): Promise<ReviewResult> {
	return db.transaction().execute(async (trx) => {
		const hold = await lockHold(trx, input.operationId, input.companyId);
		if (!hold) return { ok: false, error: 'not_found' };
		if (hold.status !== 'held') return { ok: false, error: 'already_decided' };
		// A hold is made only for cashback > 0 (services/review-rules.ts), so there is always some.
		const held = Number(hold.held_kopecks);
		const releaseId = uuidv7();
		const release = await trx
			.insertInto('operations')
			.values({
				id: releaseId,
				kind: 'release',
				company_id: hold.company_id,
				device_id: null,
				customer_id: hold.customer_id,
				amount_kopecks: 0,
				rate_bp: sql<number>`(select rate_bp from operations where id = ${hold.operation_id})`,
				cashback_kopecks: held,
				occurred_at: sql<Date>`now()`,
				content_hash: `release:${hold.operation_id}`,
				reason: `review:${hold.operation_id}`,
				created_by: input.userId
			})
			.returning('occurred_at')
			.executeTakeFirstOrThrow();
		await creditBalance(trx, hold.customer_id, held);
		// The hold period (issue 22) runs from the payment, as if it had never been held: what
		// is released before it ends stays pending until then.
		const payment = await trx
			.selectFrom('operations')
			.select(['occurred_at', 'recorded_at'])
			.where('id', '=', hold.operation_id)
			.executeTakeFirstOrThrow();
		await addPending(trx, {
			operationId: releaseId,
			paymentId: hold.operation_id,
			customerId: hold.customer_id,
			companyId: hold.company_id,
			kopecks: held,
			occurredAt: new Date(payment.occurred_at),
			arrivedAt: new Date(payment.recorded_at)
		});
		await applyToSummaries(trx, [
			{
				companyId: hold.company_id,
				kind: 'release',
				occurredAt: new Date(release.occurred_at),
				amountKopecks: 0,
				cashbackKopecks: held,
				redeemedKopecks: 0
			}
		]);
		const decided = await decideHold(trx, {
			operationId: hold.operation_id,
			status: 'released',
			userId: input.userId,
			releaseId
		});
		if (!decided) throw new Error(`review: hold ${hold.operation_id} changed under its lock`);
		return { ok: true };
	});
}

/** Cancels a held payment's cashback: it never reaches the balance. */
export function cancelHold(
	db: Kysely<Database>,
	input: Reviewer & { operationId: string }
): Promise<ReviewResult> {
	return db.transaction().execute(async (trx) => {
		const hold = await lockHold(trx, input.operationId, input.companyId);
		if (!hold) return { ok: false, error: 'not_found' };
		if (!(await decideHold(trx, { ...input, status: 'cancelled' })))
			return { ok: false, error: 'already_decided' };
		return { ok: true };
	});
}
