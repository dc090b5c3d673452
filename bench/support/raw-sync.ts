/**
 * The raw reference's whole sync call, in one transaction: what a sync must do at the least —
 * the session lookup by token hash (one query, with its user) and the same multi-row
 * INSERT … ON CONFLICT (id) DO NOTHING into the same `operations` table as `payments.sync`.
 * No framework, no validation, no rate lookup (the rate is given). bench:fleet serves it over
 * node:http (raw-sync-server.ts); bench:sync-postgres calls it directly.
 */
import type postgres from 'postgres';
import { contentHash } from '../../server/repositories/operations';
import { computeCashback } from '../../src/lib/domain/money';
import type { WireOperation } from './operations';

export interface RawSyncInput {
	/** sha256 of the session token, hex (the sessions table's key). */
	sessionId: string;
	companyId: number;
	deviceId: string;
	rateBp: number;
	operations: readonly WireOperation[];
}

/** The IDs inserted now (the others were there already), or null for an unknown session. */
export function rawSync(sql: postgres.Sql, input: RawSyncInput): Promise<Set<string> | null> {
	const { sessionId, companyId, deviceId, rateBp } = input;
	return sql.begin(async (tx) => {
		const [session] = await tx`
			select u.id, u.company_id from sessions s join users u on u.id = s.user_id
			where s.id = ${sessionId} and s.expires_at > now()`;
		if (!session) return null;
		const payload = JSON.stringify(
			input.operations.map((op) => {
				const occurredAt = new Date(op.occurredAt);
				return {
					i: op.id,
					c: op.customerId,
					a: op.amountKopecks,
					r: rateBp,
					k: computeCashback(op.amountKopecks, rateBp),
					o: occurredAt.toISOString(),
					h: contentHash({ companyId, deviceId, ...op, occurredAt })
				};
			})
		);
		const inserted = await tx`
			insert into operations (id, company_id, device_id, customer_id, amount_kopecks, rate_bp,
				cashback_kopecks, occurred_at, content_hash, created_by)
			select p.i, ${companyId}, ${deviceId}::uuid, p.c, p.a, p.r, p.k, p.o, p.h, ${session.id}::uuid
			from jsonb_to_recordset((${payload}::text)::jsonb) as p(i uuid, c text, a bigint,
				r integer, k bigint, o timestamptz, h text)
			order by p.i
			on conflict (id) do nothing
			returning id`;
		return new Set(inserted.map((row) => row.id as string));
	});
}
