import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { Database } from '../db/types';
import { closeDueMonths } from './statements';

/**
 * The automatic close of monthly statements: once at start-up, then every
 * KOPEK_STATEMENT_CHECK_MINUTES. Each close is one transaction on the company's locked books
 * and a month closes once, so several server processes may run this side by side. A failed
 * check is logged and tried again at the next tick. Returns a stop function.
 */
export function startStatementClosing(
	db: Kysely<Database>,
	config: Pick<Config, 'KOPEK_STATEMENT_CLOSE_DAY' | 'KOPEK_STATEMENT_CHECK_MINUTES'>,
	log: (message: string) => void = (m) => console.log(`[kopek] ${m}`)
): () => void {
	let running = false;
	const check = async () => {
		if (running) return;
		running = true;
		try {
			const done = await closeDueMonths(db, config.KOPEK_STATEMENT_CLOSE_DAY);
			for (const d of done) log(`statements: company ${d.companyId} closed ${d.closed.join(', ')}`);
		} catch (error) {
			log(`statements: automatic close failed, retrying later: ${String(error)}`);
		} finally {
			running = false;
		}
	};
	void check();
	if (config.KOPEK_STATEMENT_CHECK_MINUTES === 0) return () => {};
	const timer = setInterval(check, config.KOPEK_STATEMENT_CHECK_MINUTES * 60_000);
	timer.unref?.();
	return () => clearInterval(timer);
}
