import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

const HOUR_MS = 3600_000;

/**
 * Adds to a company's probe tally of the hour of `at`: customer IDs it asked about that do not
 * exist, and calls the lookup limit refused. One row per company-hour (an upsert), so a
 * company hammering the limit does not grow the table.
 */
export async function addProbes(
	db: Db,
	input: { companyId: number; unknownIds: number; throttled: number; at: Date }
): Promise<void> {
	if (input.unknownIds <= 0 && input.throttled <= 0) return;
	const hour = new Date(Math.floor(input.at.getTime() / HOUR_MS) * HOUR_MS);
	await db
		.insertInto('customer_probes')
		.values({
			company_id: input.companyId,
			hour,
			unknown_ids: input.unknownIds,
			throttled: input.throttled,
			last_at: input.at
		})
		.onConflict((oc) =>
			oc.columns(['company_id', 'hour']).doUpdateSet({
				unknown_ids: sql`customer_probes.unknown_ids + excluded.unknown_ids`,
				throttled: sql`customer_probes.throttled + excluded.throttled`,
				last_at: sql`greatest(customer_probes.last_at, excluded.last_at)`
			})
		)
		.execute();
}

/** Companies with probes since `since`, the most unknown IDs first (the operator's list). */
export function listProbingCompanies(db: Db, since: Date, limit = 20) {
	return db
		.selectFrom('customer_probes as p')
		.innerJoin('companies as c', 'c.id', 'p.company_id')
		.select((eb) => [
			'p.company_id as companyId',
			'c.name as companyName',
			eb.fn.sum<string>('p.unknown_ids').as('unknownIds'),
			eb.fn.sum<string>('p.throttled').as('throttled'),
			eb.fn.max('p.last_at').as('lastAt')
		])
		.where('p.hour', '>', new Date(since.getTime() - HOUR_MS))
		.where('p.last_at', '>', since)
		.groupBy(['p.company_id', 'c.name'])
		.orderBy(sql`sum(p.unknown_ids) + sum(p.throttled)`, 'desc')
		.limit(limit)
		.execute()
		.then((rows) =>
			rows.map((r) => ({
				companyId: r.companyId,
				companyName: r.companyName,
				unknownIds: Number(r.unknownIds),
				throttled: Number(r.throttled),
				lastAt: new Date(r.lastAt)
			}))
		);
}
