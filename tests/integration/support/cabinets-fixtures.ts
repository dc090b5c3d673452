import type { Kysely } from 'kysely';
import { computeCashback } from '../../../src/lib/domain/money';
import { uuidv7 } from '../../../src/lib/domain/uuid';
import type { Database } from '../../../server/db/types';
import { creditBalance } from '../../../server/repositories/balances';
import { contentHash } from '../../../server/repositories/operations';
import { applyToSummaries } from '../../../server/repositories/summaries';

/** A device of a company, for operations that carry one. */
export async function insertDevice(db: Kysely<Database>, companyId: number, name = 'Касса 1') {
	const row = await db
		.insertInto('devices')
		.values({ company_id: companyId, name })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/**
 * A stored payment, as payments.sync would have stored it (cashback by the one domain rule),
 * for tests of what is read back: the list, totals, CSV, refunds.
 */
export async function insertPayment(
	db: Kysely<Database>,
	input: {
		companyId: number;
		deviceId: string;
		customerId: string;
		amountKopecks: number;
		rateBp: number;
		occurredAt: Date;
		id?: string;
		/** The part paid with cashback (C9), as a redemption would store it. */
		redeemedKopecks?: number;
	}
) {
	const id = input.id ?? uuidv7(input.occurredAt.getTime());
	const cashbackKopecks = computeCashback(
		input.amountKopecks - (input.redeemedKopecks ?? 0),
		input.rateBp
	);
	await db.transaction().execute(async (trx) => {
		await trx
			.insertInto('operations')
			.values({
				id,
				company_id: input.companyId,
				device_id: input.deviceId,
				customer_id: input.customerId,
				amount_kopecks: input.amountKopecks,
				rate_bp: input.rateBp,
				cashback_kopecks: cashbackKopecks,
				redeemed_kopecks: input.redeemedKopecks ?? 0,
				occurred_at: input.occurredAt,
				content_hash: contentHash({ ...input, occurredAt: input.occurredAt })
			})
			.execute();
		await applyToSummaries(trx, [
			{
				companyId: input.companyId,
				kind: 'payment',
				occurredAt: input.occurredAt,
				amountKopecks: input.amountKopecks,
				cashbackKopecks,
				redeemedKopecks: input.redeemedKopecks ?? 0
			}
		]);
		// The balance moves with every ledger row, as payments.sync does it.
		await creditBalance(trx, input.customerId, cashbackKopecks);
	});
	return id;
}
