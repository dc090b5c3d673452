import type { Kysely } from 'kysely';
import type { Database } from '../db/types';
import { chunkBoundaries, expireChunk, type ExpiryCursor } from '../repositories/expiry';

/** How many customers one transaction of the expiry job expires at most. */
export const EXPIRY_CHUNK = 20_000;

/** How many chunks one run expires at once (connections it holds; Postgres works them apart). */
export const EXPIRY_WORKERS = 2;

/**
 * The daily expiry job (issue 22): expires every due balance, chunk by chunk, each chunk its
 * own transaction (repositories/expiry.ts: idempotent, instances take disjoint customers).
 * The due keys are split into ranges of a chunk first, and `workers` ranges are expired at
 * once; a range that holds more than a chunk by then is walked on by keyset. Returns the
 * customers and kopecks it expired.
 */
export async function runExpiry(
	db: Kysely<Database>,
	options: { chunk?: number; workers?: number } = {}
): Promise<{ customers: number; kopecks: number }> {
	const chunk = options.chunk ?? EXPIRY_CHUNK;
	const total = { customers: 0, kopecks: 0 };
	const bounds = await chunkBoundaries(db, chunk);
	// Ranges (from, to]: before the first boundary, between each two, after the last.
	const ranges = [null, ...bounds].map((from, i) => ({ from, to: bounds[i] ?? null }));
	const expireRange = async (range: { from: ExpiryCursor | null; to: ExpiryCursor | null }) => {
		let after = range.from;
		for (;;) {
			const done = await db
				.transaction()
				.execute((trx) => expireChunk(trx, chunk, after, range.to));
			total.customers += done.customers;
			total.kopecks += done.kopecks;
			if (done.scanned < chunk || !done.next) return;
			after = done.next;
		}
	};
	let next = 0;
	const worker = async () => {
		while (next < ranges.length) await expireRange(ranges[next++]!);
	};
	await Promise.all(
		Array.from({ length: Math.max(1, options.workers ?? EXPIRY_WORKERS) }, () => worker())
	);
	return total;
}

/**
 * Runs the expiry once at start-up, then every `hours` (a day by default). Several server
 * processes may run it side by side. A failed run is logged and tried again next time.
 */
export function startExpiryJob(
	db: Kysely<Database>,
	hours = 24,
	log: (message: string) => void = (m) => console.log(`[kopek] ${m}`)
): () => void {
	let running = false;
	const tick = async () => {
		if (running) return;
		running = true;
		try {
			const done = await runExpiry(db);
			if (done.customers > 0)
				log(`expiry: ${done.customers} balances expired, ${done.kopecks} kopecks`);
		} catch (error) {
			log(`expiry: failed, retrying later: ${String(error)}`);
		} finally {
			running = false;
		}
	};
	void tick();
	const timer = setInterval(tick, hours * 3_600_000);
	timer.unref?.();
	return () => clearInterval(timer);
}
