/**
 * npm run bench:list — the operations list ("Клиенты") on a busy company.
 *
 * Seeds, on a fresh database of DATABASE_URL's server, 1 000 000 operations of one company over
 * three years (plus 400 000 of four other companies as noise, and some refunds) with set-based
 * INSERT … SELECT generate_series. Then times the tRPC call companies.listOperations (first
 * page + period totals) for a day, a month and a year, p50 and p95, and in the same run the
 * very same SQL (captured from that call) sent straight through postgres.js.
 * Then the settlement cases (SPEC C11): a month's statement (statements.myStatement, from the
 * day summaries) and a year's totals (companies.listOperations for a year: first page and
 * totals), each against the raw SQL aggregate over the ledger for the same period, in the same
 * run; each prints a JSON line {"bench":"statement"|"year-totals",…}.
 * The last line is {"bench":"list","project":…,"raw":…,"unit":"ms","ratio":…}: the sums of the
 * three p50s.
 */
import { Kysely, type LogEvent } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import type { SessionUser } from '../server/auth/session';
import { openDatabase } from '../server/db/index';
import { migrateToLatest } from '../server/db/migrate';
import { ensureOperationPartitions, YEARS_AHEAD } from '../server/db/partitions';
import type { Database } from '../server/db/types';
import { rebuildCompanySummaries, SUM_COLUMNS } from '../server/repositories/summaries-ledger';
import { createCaller } from '../server/root';
import type { Period } from '../src/lib/forms/period';
import { createBenchDatabase } from './support/app';
import { BENCH_CAMPAIGN_BP, BENCH_HOLD_DAYS, BENCH_LEVERS, turnLeversOn } from './support/levers';

const MAIN_ROWS = Number(process.env.BENCH_LIST_ROWS ?? 1_000_000);
const SLOTS = Number(process.env.BENCH_LIST_SLOTS ?? 1);

/** Splits every slot-0 summary row into `slots` rows with the same sums (slot 0 keeps the rest). */
async function spreadOverSlots(sql: postgres.Sql, slots: number): Promise<void> {
	await sql.unsafe(`insert into company_day_summaries (company_id, day, statement_month, slot, ${SUM_COLUMNS.join(', ')})
		select company_id, day, statement_month, s, ${SUM_COLUMNS.map((c) => `${c} / ${slots}`).join(', ')}
		from company_day_summaries cross join generate_series(1, ${slots - 1}) s where slot = 0`);
	await sql.unsafe(`update company_day_summaries
		set ${SUM_COLUMNS.map((c) => `${c} = ${c} - ${slots - 1} * (${c} / ${slots})`).join(', ')}
		where slot = 0`);
}
const NOISE_COMPANIES = 4;
const NOISE_ROWS = Math.round(MAIN_ROWS / 10);
const CUSTOMERS = 10_000;
const THREE_YEARS_S = 3 * 365 * 24 * 3600;
const RUNS: Record<string, number> = { day: 60, month: 40, year: 15 };

function percentile(sorted: number[], p: number): number {
	const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[i]!;
}

async function time(runs: number, work: () => Promise<unknown>) {
	for (let i = 0; i < 3; i++) await work();
	const samples: number[] = [];
	for (let i = 0; i < runs; i++) {
		const start = performance.now();
		await work();
		samples.push(performance.now() - start);
	}
	samples.sort((a, b) => a - b);
	return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

async function seed(sql: postgres.Sql) {
	await sql`insert into partners (id, name, licenses_available) values (1, 'Bench', 0)`;
	await sql`insert into companies (name, status, email, inviter_partner_id)
		select 'Bench ' || g, 'active', 'bench' || g || '@example.test', 1
		from generate_series(1, ${NOISE_COMPANIES + 1}) g`;
	await sql`insert into company_rates (company_id, rate_bp, effective_from)
		select id, 1000, now() - interval '4 years' from companies`;
	await sql`insert into devices (company_id, name) select id, 'Касса 1' from companies`;
	await sql`insert into customers (id, name)
		select (100000 + g)::text, 'Клиент ' || g from generate_series(1, ${CUSTOMERS}) g`;
	const insertOperations = (companyId: number, rows: number) => sql`
		insert into operations (id, company_id, device_id, customer_id, amount_kopecks, rate_bp,
			cashback_kopecks, redeemed_kopecks, occurred_at, content_hash)
		select (lpad(to_hex((extract(epoch from t.at) * 1000)::bigint), 12, '0') || '7'
				|| substr(md5(${companyId} || '/' || g), 1, 3) || '8'
				|| substr(md5(${companyId} || '/' || g), 4, 15))::uuid,
			${companyId}, d.id, (100000 + 1 + (g::bigint * 7919) % ${CUSTOMERS})::text,
			a.amount, 1000, ((a.amount - a.redeemed) * 1000 + 5000) / 10000, a.redeemed, t.at,
			md5(${companyId} || ':' || g)
		from generate_series(1, ${rows}) g
		cross join lateral (select 100 + (g::bigint * 104729) % 2000000 as amount) a0
		-- One payment in ten partly paid with cashback (C9).
		cross join lateral (select a0.amount,
			case when g % 10 = 0 then a0.amount / 2 else 0 end as redeemed) a
		-- Counter operations carry UUID v7 IDs made when they happen: same time as occurred_at.
		cross join lateral (select now() - make_interval(secs => (g::float8 * ${THREE_YEARS_S}) / ${rows}) as at) t
		join devices d on d.company_id = ${companyId}`;
	const start = performance.now();
	await insertOperations(1, MAIN_ROWS);
	for (let c = 2; c <= NOISE_COMPANIES + 1; c++) await insertOperations(c, NOISE_ROWS);
	if (BENCH_LEVERS) {
		await sql`insert into company_campaigns (id, company_id, name, rate_bp, starts_on, ends_on,
				weekdays, from_minute, to_minute)
			values (1, 1, 'Bench', ${BENCH_CAMPAIGN_BP}, '2000-01-01', '2099-12-31', 127, 0, 0)`;
		// Issue 22: one payment in five of the busy company took a campaign (a third of its
		// cashback is the campaign part), and its last 14 days of cashback are pending.
		await sql`update operations set campaign_id = 1, campaign_kopecks = cashback_kopecks / 3
			where company_id = 1 and content_hash < '33'`;
		// Made when synced (the counters were online): created at their payment's time.
		await sql`insert into pending_cashback (operation_id, payment_id, customer_id, company_id,
				kopecks, available_at, created_at, operation_occurred_at)
			select id, id, customer_id, company_id, cashback_kopecks,
				occurred_at + make_interval(days => ${BENCH_HOLD_DAYS}), occurred_at, occurred_at
			from operations
			where company_id = 1 and cashback_kopecks > 0
				and occurred_at > now() - make_interval(days => ${BENCH_HOLD_DAYS})`;
	}
	// One payment in two hundred refunded, a day after it.
	await sql`insert into operations (id, kind, company_id, customer_id, amount_kopecks, rate_bp,
			cashback_kopecks, redeemed_kopecks, campaign_kopecks, occurred_at, content_hash,
			reverses_id, reason)
		select operation_refund_id(o.id), 'refund', o.company_id, o.customer_id, -o.amount_kopecks, o.rate_bp,
			-o.cashback_kopecks, -o.redeemed_kopecks, -o.campaign_kopecks,
			least(now(), o.occurred_at + interval '1 day'), 'refund:' || o.id, o.id, 'bench'
		from operations o where o.company_id = 1 and o.content_hash < '01'`;
	await sql`analyze`;
	return (performance.now() - start) / 1000;
}

async function main() {
	const database = await createBenchDatabase('list');
	const raw = postgres(database.url, { max: 10, onnotice: () => {} });
	const handle = await openDatabase({ databaseUrl: database.url, dataDir: '' });
	try {
		await migrateToLatest(handle.db);
		// The three years of history get their partitions, as they would have had.
		await ensureOperationPartitions(handle.db, new Date(), YEARS_AHEAD, 3);
		// Issue 22: the hold and a campaign of the busy company (rows made in seed()).
		console.log(await turnLeversOn(handle.db, []));
		const seconds = await seed(raw);
		// The rows went straight into the ledger: build their day summaries once.
		const summariesStart = performance.now();
		for (let c = 1; c <= NOISE_COMPANIES + 1; c++) {
			await handle.db.transaction().execute((trx) => rebuildCompanySummaries(trx, c));
		}
		// A company with many terminals adds to every slot of a day (migration 0009): with
		// BENCH_LIST_SLOTS=16 each day's sums are spread over that many rows, the same totals.
		if (SLOTS > 1) await spreadOverSlots(raw, SLOTS);
		await raw`analyze company_day_summaries`;
		console.log(
			`day summaries built in ${((performance.now() - summariesStart) / 1000).toFixed(1)} s`
		);
		const counted = await raw<{ count: number }[]>`select count(*)::int as count from operations`;
		console.log(`seeded ${counted[0]?.count} operations in ${seconds.toFixed(1)} s`);

		const user: SessionUser = {
			id: '00000000-0000-7000-8000-000000000000',
			email: 'bench1@example.test',
			role: 'company',
			locale: 'ru',
			companyId: 1,
			partnerId: null,
			customerId: null
		};
		const session = { id: 'bench', expiresAt: new Date(Date.now() + 3600_000) };
		const api = createCaller({ db: handle.db, user, session, ip: '127.0.0.1' });

		// The SQL the procedure sends, captured once through a logging Kysely on the same driver.
		const captured: { sql: string; parameters: readonly unknown[] }[] = [];
		const logSql = postgres(database.url, { max: 2, onnotice: () => {} });
		const logging = new Kysely<Database>({
			dialect: new PostgresJSDialect({ postgres: logSql }),
			log: (event: LogEvent) => {
				if (event.level === 'query') {
					captured.push({ sql: event.query.sql, parameters: event.query.parameters });
				}
			}
		});
		const capture = async (period: Period) => {
			captured.length = 0;
			await createCaller({ db: logging, user, session, ip: '127.0.0.1' }).companies.listOperations({
				period
			});
			return [...captured];
		};

		const lastYear = new Date().getUTCFullYear() - 1;
		const periods: [string, Period][] = [
			['day', { kind: 'day' }],
			['month', { kind: 'month' }],
			['year', { kind: 'year', anchor: `${lastYear}-06-01` }]
		];
		let projectSum = 0;
		let rawSum = 0;
		for (const [name, period] of periods) {
			const queries = await capture(period);
			const first = await api.companies.listOperations({ period });
			const project = await time(RUNS[name]!, () => api.companies.listOperations({ period }));
			const direct = await time(RUNS[name]!, () =>
				Promise.all(
					queries.map((q) => raw.unsafe(q.sql, q.parameters as postgres.ParameterOrJSON<never>[]))
				)
			);
			projectSum += project.p50;
			rawSum += direct.p50;
			console.log(
				`${name.padEnd(5)} ${String(first.totals?.payments).padStart(7)} payments in period, page ${first.rows.length}:` +
					` tRPC p50 ${project.p50.toFixed(2)} ms, p95 ${project.p95.toFixed(2)} ms;` +
					` raw SQL p50 ${direct.p50.toFixed(2)} ms, p95 ${direct.p95.toFixed(2)} ms`
			);
		}
		await logging.destroy();

		// Settlement cases: through tRPC (from the summaries) vs the raw aggregate over the ledger.
		const monthFmt = new Intl.DateTimeFormat('en-CA', {
			timeZone: 'Europe/Moscow',
			year: 'numeric',
			month: '2-digit'
		});
		const [cy, cm] = monthFmt.format(new Date()).split('-').map(Number) as [number, number];
		const lastMonth = cm === 1 ? `${cy - 1}-12` : `${cy}-${String(cm - 1).padStart(2, '0')}`;
		const ledgerAggregate = (from: string, to: string) => () =>
			raw`select count(*) filter (where kind = 'payment') as payments,
					count(*) filter (where kind = 'refund') as refunds,
					coalesce(sum(amount_kopecks), 0) as turnover,
					coalesce(sum(cashback_kopecks) filter (where kind = 'payment'), 0) as accrued,
					coalesce(sum(cashback_kopecks) filter (where kind = 'refund'), 0) as reversed,
					coalesce(sum(redeemed_kopecks) filter (where kind = 'payment'), 0) as redeemed,
					coalesce(sum(redeemed_kopecks) filter (where kind = 'refund'), 0) as given_back
				from operations
				where company_id = 1
					and occurred_at >= (${from}::date::timestamp at time zone 'Europe/Moscow')
					and occurred_at < (${to}::date::timestamp at time zone 'Europe/Moscow')`;
		const nextOf = (month: string) => {
			const [y, m] = month.split('-').map(Number) as [number, number];
			return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
		};
		const settlement: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
			[
				'statement',
				() => api.statements.myStatement({ month: lastMonth }),
				ledgerAggregate(`${lastMonth}-01`, nextOf(lastMonth))
			],
			[
				'year-totals',
				() =>
					api.companies.listOperations({
						period: { kind: 'year', anchor: `${lastYear}-06-01` }
					}),
				ledgerAggregate(`${lastYear}-01-01`, `${lastYear + 1}-01-01`)
			]
		];
		const settlementLines: string[] = [];
		for (const [name, project, direct] of settlement) {
			const a = await time(40, project);
			const b = await time(15, direct);
			console.log(
				`${name.padEnd(11)} tRPC p50 ${a.p50.toFixed(2)} ms, p95 ${a.p95.toFixed(2)} ms;` +
					` raw ledger aggregate p50 ${b.p50.toFixed(2)} ms, p95 ${b.p95.toFixed(2)} ms` +
					` (goal: tRPC p50 <= 5 ms: ${a.p50 <= 5 ? 'met' : 'missed'})`
			);
			settlementLines.push(
				JSON.stringify({
					bench: name,
					project: Number(a.p50.toFixed(3)),
					raw: Number(b.p50.toFixed(3)),
					unit: 'ms',
					ratio: Number((a.p50 / b.p50).toFixed(3))
				})
			);
		}
		for (const l of settlementLines) console.log(l);
		console.log(
			JSON.stringify({
				bench: 'list',
				project: Number(projectSum.toFixed(3)),
				raw: Number(rawSum.toFixed(3)),
				unit: 'ms',
				ratio: Number((projectSum / rawSum).toFixed(3))
			})
		);
	} finally {
		await handle.close();
		await raw.end({ timeout: 5 });
		await database.drop();
	}
}

await main();
