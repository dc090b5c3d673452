import { sql, type Kysely } from 'kysely';
import { groupPerDatabase } from '../db/statement-group';
import type { Database } from '../db/types';

export type Claim =
	| { kind: 'mine' }
	| { kind: 'answered'; status: number; body: unknown }
	| { kind: 'running' }
	| { kind: 'other_request' };

/**
 * Claims an Idempotency-Key of an integration key for a request (its hash): `mine` when this
 * request is the first (it runs and then stores its answer), else what the first one left —
 * its answer, still running, or a different request under the same key.
 */
export async function claim(
	db: Kysely<Database>,
	input: { keyId: string; idempotencyKey: string; requestHash: string }
): Promise<Claim> {
	const inserted = await db
		.insertInto('api_idempotency')
		.values({
			key_id: input.keyId,
			idempotency_key: input.idempotencyKey,
			request_hash: input.requestHash
		})
		.onConflict((oc) => oc.columns(['key_id', 'idempotency_key']).doNothing())
		.returning('key_id')
		.executeTakeFirst();
	if (inserted) return { kind: 'mine' };
	return read(db, input);
}

export async function read(
	db: Kysely<Database>,
	input: { keyId: string; idempotencyKey: string; requestHash: string }
): Promise<Claim> {
	const row = await db
		.selectFrom('api_idempotency')
		.select(['request_hash', 'answer_status', 'answer_body'])
		.where('key_id', '=', input.keyId)
		.where('idempotency_key', '=', input.idempotencyKey)
		.executeTakeFirst();
	// Released meanwhile (the first request failed): this one may take it.
	if (!row) return claim(db, input);
	if (row.request_hash !== input.requestHash) return { kind: 'other_request' };
	if (row.answer_status === null) return { kind: 'running' };
	const body = typeof row.answer_body === 'string' ? JSON.parse(row.answer_body) : row.answer_body;
	return { kind: 'answered', status: row.answer_status, body };
}

type Answer = { keyId: string; idempotencyKey: string; status: number; body: unknown };

/**
 * Stores a request's answer; resolves once it is stored. Answers of concurrent requests are
 * stored together, one statement for all that queued meanwhile (db/statement-group.ts).
 */
export const storeAnswer: (db: Kysely<Database>, answer: Answer) => Promise<void> =
	groupPerDatabase(async (db: Kysely<Database>, answers: Answer[]) => {
		await storeAnswers(db, answers);
		return answers.map(() => undefined);
	});

/** Stores several requests' answers in one statement. */
export async function storeAnswers(db: Kysely<Database>, answers: Answer[]): Promise<void> {
	const rows = answers.map(
		(a) =>
			sql`(${a.keyId}::uuid, ${a.idempotencyKey}::text, ${a.status}::integer, ${JSON.stringify(a.body)}::jsonb)`
	);
	await sql`
		update api_idempotency as a
		set answer_status = v.status, answer_body = v.body
		from (values ${sql.join(rows)}) as v (key_id, idempotency_key, status, body)
		where a.key_id = v.key_id and a.idempotency_key = v.idempotency_key`.execute(db);
}

/** Gives the key back (the request failed with nothing stored: a retry may run it). */
export async function release(
	db: Kysely<Database>,
	input: { keyId: string; idempotencyKey: string }
): Promise<void> {
	await db
		.deleteFrom('api_idempotency')
		.where('key_id', '=', input.keyId)
		.where('idempotency_key', '=', input.idempotencyKey)
		.where('answer_status', 'is', null)
		.execute();
}

/** Drops stored answers older than `days` (a till retries within minutes, not weeks). */
export async function prune(db: Kysely<Database>, days: number): Promise<void> {
	await db
		.deleteFrom('api_idempotency')
		.where('created_at', '<', sql<Date>`now() - make_interval(days => ${days})`)
		.execute();
}

export interface KeyClaim {
	secretHash: string;
	idempotencyKey: string;
	requestHash: string;
}

export interface ClaimedKey {
	key: { id: string; companyId: number; deviceId: string; lastUsedAt: Date | string | null };
	claimed: boolean;
}

/**
 * Authentication and the claim in one round trip (the till API's hot path): the live key
 * whose secret hashes to `secretHash` (its device not revoked), and — only when there is one —
 * the claim of its Idempotency-Key; null for no such key. Read in the statement's snapshot on
 * every call (nothing cached), so a key revoked before it is refused here, as findActiveKey
 * would. `claimed` false: the key was already taken (read it with {@link read}). Concurrent
 * requests share one statement (db/statement-group.ts).
 */
export const authenticateAndClaim: (
	db: Kysely<Database>,
	input: KeyClaim
) => Promise<ClaimedKey | null> = groupPerDatabase(authenticateAndClaimMany);

/** {@link authenticateAndClaim} of several requests in one statement, answered in order. */
export async function authenticateAndClaimMany(
	db: Kysely<Database>,
	inputs: KeyClaim[]
): Promise<(ClaimedKey | null)[]> {
	// The same Idempotency-Key twice in one statement: only the first may claim it.
	const first = new Map<string, number>();
	inputs.forEach((r, i) => {
		const id = `${r.secretHash}\n${r.idempotencyKey}`;
		if (!first.has(id)) first.set(id, i);
	});
	const rows = [...first.values()].map((i) => {
		const r = inputs[i]!;
		return sql`(${i}::integer, ${r.secretHash}::text, ${r.idempotencyKey}::text, ${r.requestHash}::text)`;
	});
	const result = await sql<{
		i: number;
		id: string;
		company_id: number | string;
		device_id: string;
		last_used_at: Date | string | null;
		claimed: boolean;
	}>`
		with r (i, secret_hash, idempotency_key, request_hash) as (values ${sql.join(rows)}),
		k as (
			select r.i, r.idempotency_key, r.request_hash,
				k.id, k.company_id, k.device_id, k.last_used_at
			from r
			join integration_keys k on k.secret_hash = r.secret_hash and k.revoked_at is null
			join devices d on d.id = k.device_id and d.revoked_at is null
		), claimed as (
			insert into api_idempotency (key_id, idempotency_key, request_hash)
			select id, idempotency_key, request_hash from k order by id, idempotency_key
			on conflict (key_id, idempotency_key) do nothing
			returning key_id, idempotency_key
		)
		select k.i, k.id, k.company_id, k.device_id, k.last_used_at,
			exists (
				select 1 from claimed c where c.key_id = k.id and c.idempotency_key = k.idempotency_key
			) as claimed
		from k`.execute(db);
	const found = new Map(result.rows.map((row) => [Number(row.i), row]));
	return inputs.map((r, i) => {
		const own = first.get(`${r.secretHash}\n${r.idempotencyKey}`)!;
		const row = found.get(own);
		if (!row) return null;
		return {
			key: {
				id: row.id,
				companyId: Number(row.company_id),
				deviceId: row.device_id,
				lastUsedAt: row.last_used_at
			},
			claimed: own === i && row.claimed
		};
	});
}
