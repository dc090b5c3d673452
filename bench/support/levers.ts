/**
 * The program's levers in the benchmarks (issue 22): unless BENCH_LEVERS=0, a 14-day hold
 * (cashback synced in the run becomes pending) and, for each company given, a campaign at
 * 15 % in force all day every day (payments take its rate and store their campaign part).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../server/db/types';

export const BENCH_LEVERS = process.env.BENCH_LEVERS !== '0';
export const BENCH_HOLD_DAYS = 14;
export const BENCH_CAMPAIGN_BP = 1500;

/** Turns the levers on (when BENCH_LEVERS allows); returns a line saying what is on. */
export async function turnLeversOn(db: Kysely<Database>, companyIds: number[]): Promise<string> {
	if (!BENCH_LEVERS) return 'levers: off (BENCH_LEVERS=0)';
	await sql`insert into program_rules (hold_days, expiry_months, effective_from)
		values (${BENCH_HOLD_DAYS}, 0, now() - interval '5 years')`.execute(db);
	for (const companyId of companyIds) {
		await sql`insert into company_campaigns (company_id, name, rate_bp, starts_on, ends_on,
				weekdays, from_minute, to_minute)
			values (${companyId}, 'Bench', ${BENCH_CAMPAIGN_BP}, '2000-01-01', '2099-12-31', 127, 0, 0)`.execute(
			db
		);
	}
	return `levers: hold ${BENCH_HOLD_DAYS} days, a campaign at ${BENCH_CAMPAIGN_BP / 100} % all day (BENCH_LEVERS=0 turns them off)`;
}
