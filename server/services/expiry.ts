import type { Kysely } from 'kysely';
import type { Database } from '../db/types';
import { expireChunk, type ExpiryCursor } from '../repositories/expiry';

/** How many customers one transaction of the expiry job expires at most. */
export const EXPIRY_CHUNK = 20_000;

/**
 * The daily expiry job (issue 22): expires every due balance, chunk by chunk, each chunk its
 * own transaction (repositories/expiry.ts: idempotent, instances take disjoint customers).
 * Returns the customers and kopecks it expired.
 */
export async function runExpiry(
	db: Kysely<Database>,
	options: { chunk?: number } = {}
): Promise<{ customers: number; kopecks: number }> {
	const chunk = options.chunk ?? EXPIRY_CHUNK;
	const total = { customers: 0, kopecks: 0 };
	let after: ExpiryCursor | null = null;
	for (;;) {
		const done = await db.transaction().execute((trx) => expireChunk(trx, chunk, after));
		total.customers += done.customers;
		total.kopecks += done.kopecks;
		if (done.scanned < chunk || !done.next) return total;
		after = done.next;
	}
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
