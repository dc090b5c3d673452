/**
 * The expiry job (issue 22) over 1 000 000 idle customers: every one has a payment and a
 * balance last moved 13 months ago under a 12-month expiry. The project's job
 * (services/expiry.ts: chunks of SKIP LOCKED rows, pending read per customer, a ledger row of
 * kind `expiry` attributed to the customer's last company, the day summaries) is timed; then
 * the same state is restored and one raw SQL statement does the same balance update and
 * ledger insert (no chunks, no pending, no summaries) in the same run. Prints both times and
 * checks that every balance equals the ledger; the last line is the JSON result.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/expiry.ts
 * KOPEK_BENCH_CUSTOMERS changes the count (default 1 000 000).
 */
import { openDatabase } from '../server/db/index';
import { migrateToLatest } from '../server/db/migrate';
import { listBalanceMismatches } from '../server/repositories/balances';
import { runExpiry } from '../server/services/expiry';
import { createBenchDatabase, printResult } from './support/app';
import { connectRaw } from './support/operations';

const CUSTOMERS = Number(process.env.KOPEK_BENCH_CUSTOMERS ?? 1_000_000);
const database = await createBenchDatabase('expiry');
const handle = await openDatabase({
	databaseUrl: database.url,
	dataDir: '',
	maxConnections: 4,
	statementTimeoutMs: 60_000
});
const raw = connectRaw(database.url, 1);
const db = handle.db;
const seconds = (from: number) => (performance.now() - from) / 1000;
try {
	await migrateToLatest(db);
	await db.insertInto('partners').values({ id: 1, name: 'Bench' }).execute();
	const company = await db
		.insertInto('companies')
		.values({ name: 'Shop', email: 'shop@example.test', inviter_partner_id: 1, status: 'active' })
		.returning('id')
		.executeTakeFirstOrThrow();
	let t0 = performance.now();
	await raw`insert into customers (id, name)
		select (10000000 + n)::text, 'Клиент' from generate_series(1, ${CUSTOMERS}) n`;
	await raw`insert into operations (id, company_id, customer_id, amount_kopecks, rate_bp,
			cashback_kopecks, occurred_at, content_hash)
		select kopek_uuidv7(), ${company.id}, (10000000 + n)::text, 100000, 1000, 10000,
			now() - interval '13 months', 'bench'
		from generate_series(1, ${CUSTOMERS}) n`;
	const seed =
		() => raw`insert into customer_balances (customer_id, balance_kopecks, last_activity_at)
		select (10000000 + n)::text, 10000, now() - interval '13 months'
		from generate_series(1, ${CUSTOMERS}) n
		on conflict (customer_id) do update set balance_kopecks = excluded.balance_kopecks,
			last_activity_at = excluded.last_activity_at`;
	await seed();
	await raw`insert into program_rules (hold_days, expiry_months) values (0, 12)`;
	await raw`vacuum analyze`;
	console.log(`seeded ${CUSTOMERS} customers in ${seconds(t0).toFixed(1)} s`);

	t0 = performance.now();
	const done = await runExpiry(db);
	const project = seconds(t0);
	console.log(
		`project: ${done.customers} expired, ${done.kopecks} kopecks in ${project.toFixed(1)} s`
	);
	const again = await runExpiry(db);
	console.log(`second run (idempotent): ${again.customers} expired`);
	const mismatches = await listBalanceMismatches(db);
	console.log(`balances equal to the ledger: ${mismatches.length === 0}`);
	if (done.customers !== CUSTOMERS || again.customers !== 0 || mismatches.length !== 0)
		throw new Error('expiry bench: wrong result');

	// The same state again for the raw statement.
	await raw`delete from operations where kind = 'expiry'`;
	await raw`update company_day_summaries set expired_kopecks = 0`;
	await seed();
	await raw`vacuum analyze`;
	t0 = performance.now();
	const [rawDone] = await raw<{ n: number }[]>`
		with lowered as (
			update customer_balances b set balance_kopecks = 0, updated_at = now()
			where b.balance_kopecks > 0 and b.last_activity_at <= now() - interval '12 months'
			returning b.customer_id, b.balance_kopecks
		),
		written as (
			insert into operations (id, kind, company_id, customer_id, amount_kopecks, rate_bp,
				cashback_kopecks, occurred_at, content_hash)
			select kopek_uuidv7(), 'expiry', last.company_id, l.customer_id, 0, 0, -10000, now(),
				'expiry:' || l.customer_id
			from lowered l
			cross join lateral (select company_id from operations o
				where o.customer_id = l.customer_id order by o.occurred_at desc limit 1) last
			returning 1
		)
		select count(*)::int as n from written`;
	const rawSeconds = seconds(t0);
	console.log(`raw: ${rawDone?.n} expired in ${rawSeconds.toFixed(1)} s`);
	console.log(`within a minute: ${project < 60}`);
	printResult('expiry', project, rawSeconds, 's');
} finally {
	await raw.end();
	await handle.close();
	await database.drop();
}
