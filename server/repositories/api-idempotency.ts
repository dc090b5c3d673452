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

type FirstAnswer = Omit<Answer, 'status'> & { requestHash: string; status: number | null };

/**
 * Claims Idempotency-Keys of concurrent requests in one statement (db/statement-group.ts), each
 * answered as {@link claim} answers it alone. A request that runs before it claims its key (a
 * quote without a code: it writes nothing, so running it twice is harmless) stores its answer
 * with the claim (`status` not null): `mine` when it was the first, else what the first left
 * (its answer, still running, or another request) — the answer to give.
 */
export const claimWithAnswer: (db: Kysely<Database>, answer: FirstAnswer) => Promise<Claim> =
	groupPerDatabase(async (db: Kysely<Database>, answers: FirstAnswer[]) => {
		const rows = answers.map(
			(a) =>
				sql`(${a.keyId}::uuid, ${a.idempotencyKey}::text, ${a.requestHash}::text, ${a.status}::integer, ${a.status === null ? null : JSON.stringify(a.body)}::jsonb)`
		);
		const inserted = await sql<{ key_id: string; idempotency_key: string }>`
			insert into api_idempotency (key_id, idempotency_key, request_hash, answer_status, answer_body)
			select * from (values ${sql.join(rows)}) as v (key_id, idempotency_key, request_hash, status, body)
			on conflict (key_id, idempotency_key) do nothing
			returning key_id, idempotency_key`.execute(db);
		// The same key twice in one statement: only the first inserted is this request's.
		const mine = new Set(inserted.rows.map((r) => `${r.key_id}\n${r.idempotency_key}`));
		return Promise.all(
			answers.map(async (a): Promise<Claim> => {
				const id = `${a.keyId}\n${a.idempotencyKey}`;
				if (mine.delete(id)) return { kind: 'mine' };
				const claim = await read(db, a);
				// Released meanwhile and claimed by the read: this answer is the one to keep.
				if (claim.kind === 'mine' && a.status !== null)
					await storeAnswers(db, [{ ...a, status: a.status }]);
				return claim;
			})
		);
	});

/** {@link claim}, concurrent requests' claims in one statement. */
export const claimTogether = (
	db: Kysely<Database>,
	input: { keyId: string; idempotencyKey: string; requestHash: string }
) => claimWithAnswer(db, { ...input, status: null, body: null });
