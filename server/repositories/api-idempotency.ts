import { sql, type Kysely } from 'kysely';
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

interface AnswerQueue {
	waiting: { answer: Answer; resolve(): void; reject(error: unknown): void }[];
	running: boolean;
}

const answerQueues = new WeakMap<Kysely<Database>, AnswerQueue>();
/** The most answers one statement stores. */
const ANSWERS_PER_STATEMENT = 200;

/**
 * Stores a request's answer; resolves once it is stored. Answers of concurrent requests are
 * stored together (group commit, as payments.sync's transactions are): one statement at a time
 * per database, and the next takes every answer that queued meanwhile — so under load an
 * answer costs a fraction of a round trip. A statement that fails fails each of its answers
 * (each request then fails as it would have alone).
 */
export function storeAnswer(db: Kysely<Database>, answer: Answer): Promise<void> {
	let queue = answerQueues.get(db);
	if (!queue) answerQueues.set(db, (queue = { waiting: [], running: false }));
	const stored = new Promise<void>((resolve, reject) =>
		queue.waiting.push({ answer, resolve, reject })
	);
	if (!queue.running) void storeQueued(db, queue);
	return stored;
}

async function storeQueued(db: Kysely<Database>, queue: AnswerQueue): Promise<void> {
	queue.running = true;
	try {
		while (queue.waiting.length > 0) {
			const batch = queue.waiting.splice(0, ANSWERS_PER_STATEMENT);
			try {
				await storeAnswers(
					db,
					batch.map((w) => w.answer)
				);
				for (const w of batch) w.resolve();
			} catch (error) {
				for (const w of batch) w.reject(error);
			}
		}
	} finally {
		queue.running = false;
	}
}

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

/**
 * Authentication and the claim in one round trip (the till API's hot path): the live key
 * whose secret hashes to `secretHash` (its device not revoked), and — only when there is one —
 * the claim of its Idempotency-Key. Read in the statement's snapshot, so a key revoked before
 * it is refused here, as findActiveKey would. `claimed` false: the key was already taken (read
 * it with {@link read}).
 */
export async function authenticateAndClaim(
	db: Kysely<Database>,
	input: { secretHash: string; idempotencyKey: string; requestHash: string }
): Promise<{
	key: { id: string; companyId: number; deviceId: string; lastUsedAt: Date | string | null };
	claimed: boolean;
} | null> {
	const result = await sql<{
		id: string;
		company_id: number | string;
		device_id: string;
		last_used_at: Date | string | null;
		claimed: boolean;
	}>`
		with k as (
			select k.id, k.company_id, k.device_id, k.last_used_at
			from integration_keys k join devices d on d.id = k.device_id
			where k.secret_hash = ${input.secretHash} and k.revoked_at is null and d.revoked_at is null
		), claimed as (
			insert into api_idempotency (key_id, idempotency_key, request_hash)
			select id, ${input.idempotencyKey}, ${input.requestHash} from k
			on conflict (key_id, idempotency_key) do nothing
			returning key_id
		)
		select k.id, k.company_id, k.device_id, k.last_used_at,
			exists (select 1 from claimed) as claimed
		from k`.execute(db);
	const row = result.rows[0];
	if (!row) return null;
	return {
		key: {
			id: row.id,
			companyId: Number(row.company_id),
			deviceId: row.device_id,
			lastUsedAt: row.last_used_at
		},
		claimed: row.claimed
	};
}
