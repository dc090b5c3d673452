import { sql, type Kysely } from 'kysely';
import { groupPerDatabase } from '../db/statement-group';
import type { Database } from '../db/types';
import {
	redemptionContextColumns,
	redemptionContextOf,
	type RedemptionContext,
	type RedemptionContextRow
} from './redemptions';

export interface KeyCheck {
	secretHash: string;
	/** A quote's moment: the statement also reads the company's quote context then. */
	quoteAt: Date | null;
}

export interface CheckedKey {
	key: { id: string; companyId: number; deviceId: string; lastUsedAt: Date | string | null };
	/** With `quoteAt`: the company's status and rate then (redemptions.getRedemptionContext). */
	quoteContext: RedemptionContext | null;
}

/**
 * The till API's key check, before a request's body is read: the live key whose secret hashes
 * to `secretHash` (its device not revoked), or null. Read from the database on every call —
 * nothing cached — so a key revoked before the statement is refused on every instance at once.
 * A quote reads what it is computed from (the company's status, rate and campaigns at its
 * moment) in the same statement, by the same columns getRedemptionContext reads. Concurrent
 * requests share one statement (db/statement-group.ts).
 */
export const checkKey: (db: Kysely<Database>, input: KeyCheck) => Promise<CheckedKey | null> =
	groupPerDatabase(checkKeys);

/** {@link checkKey} of several requests in one statement, answered in order. */
export async function checkKeys(
	db: Kysely<Database>,
	inputs: KeyCheck[]
): Promise<(CheckedKey | null)[]> {
	const rows = inputs.map(
		(r, i) => sql`(${i}::integer, ${r.secretHash}::text, ${r.quoteAt}::timestamptz)`
	);
	const quoting = inputs.some((r) => r.quoteAt !== null);
	const result = await sql<
		{
			i: number;
			id: string;
			company_id: number | string;
			key_device: string;
			last_used_at: Date | string | null;
		} & Partial<RedemptionContextRow>
	>`
		with r (i, secret_hash, quote_at) as (values ${sql.join(rows)})
		select r.i, ik.id, ik.company_id, ik.device_id as key_device, ik.last_used_at${quoting ? sql`, q.*` : sql``}
		from r
		join integration_keys ik on ik.secret_hash = r.secret_hash and ik.revoked_at is null
		join devices kd on kd.id = ik.device_id and kd.revoked_at is null
		${
			quoting
				? sql`left join lateral (select ${redemptionContextColumns({
						companyId: sql`ik.company_id`,
						deviceId: sql`ik.device_id`,
						customerId: sql`''`,
						at: sql`r.quote_at`
					})} where r.quote_at is not null) q on true`
				: sql``
		}`.execute(db);
	const found = new Map(result.rows.map((row) => [Number(row.i), row]));
	return inputs.map((input, i) => {
		const row = found.get(i);
		if (!row) return null;
		const companyId = Number(row.company_id);
		return {
			key: {
				id: row.id,
				companyId,
				deviceId: row.key_device,
				lastUsedAt: row.last_used_at
			},
			quoteContext:
				input.quoteAt === null
					? null
					: redemptionContextOf(row as RedemptionContextRow, companyId, input.quoteAt)
		};
	});
}
