/**
 * "My card" (me.card) for a customer with 5 000 of 200 000 operations: the tRPC procedure as
 * the page calls it, against the same three queries sent straight to Postgres, rounds
 * alternating so both see the same load. Uses DATABASE_URL (default: the local Postgres) and
 * works in a fresh database it drops.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/card.ts
 */
import { sql } from 'kysely';
import postgres from 'postgres';
import { createCaller } from '../server/root';
import { openDatabase } from '../server/db/index';
import { migrateToLatest } from '../server/db/migrate';
import { BASE_DATABASE_URL } from './support/app';

const base = BASE_DATABASE_URL;
const OPERATIONS = 200_000;
const MINE_EVERY = 40; // 5 000 of them the customer's
const ROUNDS = 300;

const name = `kopek_bench_card_${Date.now().toString(36)}`;
const admin = postgres(base, { max: 1, onnotice: () => {} });
await admin.unsafe(`CREATE DATABASE ${name}`);
const url = new URL(base);
url.pathname = `/${name}`;
const handle = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
const raw = postgres(url.toString(), { max: 10, onnotice: () => {} });
try {
	const db = handle.db;
	await migrateToLatest(db);
	await db.insertInto('partners').values({ id: 1, name: 'Bench' }).execute();
	const company = await db
		.insertInto('companies')
		.values({ name: 'Bench', email: 'bench@example.test', inviter_partner_id: 1, status: 'active' })
		.returning('id')
		.executeTakeFirstOrThrow();
	await db
		.insertInto('customers')
		.values([
			{ id: '123455', name: 'Иванов Иван' },
			{ id: '765438', name: 'Петрова Мария' }
		])
		.execute();
	await sql`insert into operations (id, company_id, customer_id, amount_kopecks, rate_bp,
			cashback_kopecks, occurred_at, content_hash)
		select gen_random_uuid(), ${company.id},
			case when g % ${MINE_EVERY} = 0 then '123455' else '765438' end,
			10000 + g % 1000, 1000, (10000 + g % 1000) / 10, now() - make_interval(mins => g), md5(g::text)
		from generate_series(1, ${OPERATIONS}) g`.execute(db);
	await sql`analyze`.execute(db);
	const user = await db
		.insertInto('users')
		.values({
			email: 'c@example.test',
			password_hash: 'x',
			role: 'customer',
			customer_id: '123455'
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	const caller = createCaller({
		db,
		ip: '127.0.0.1',
		session: { id: 'bench', expiresAt: new Date(Date.now() + 3_600_000) },
		user: {
			id: user.id,
			email: 'c@example.test',
			role: 'customer',
			locale: 'ru',
			companyId: null,
			partnerId: null,
			customerId: '123455'
		}
	});
	const project = () => caller.me.card();
	const direct = async () => {
		await raw`select id, name, phone, created_at from customers where id = '123455'`;
		await Promise.all([
			raw`select coalesce(sum(cashback_kopecks), 0), count(*), count(*) filter (where kind = 'payment'),
				coalesce(sum(amount_kopecks), 0) from operations where customer_id = '123455'`,
			raw`select o.id, o.kind, o.occurred_at, o.amount_kopecks, o.rate_bp, o.cashback_kopecks,
				c.name, c.time_zone from operations o join companies c on c.id = o.company_id
				where o.customer_id = '123455' order by o.occurred_at desc, o.id desc limit 100`
		]);
	};
	const samples = { project: [] as number[], raw: [] as number[] };
	for (let i = 0; i < 30; i++) await Promise.all([project(), direct()]);
	for (let i = 0; i < ROUNDS; i++) {
		for (const [key, fn] of i % 2
			? ([
					['raw', direct],
					['project', project]
				] as const)
			: ([
					['project', project],
					['raw', direct]
				] as const)) {
			const start = performance.now();
			await fn();
			samples[key].push(performance.now() - start);
		}
	}
	const pct = (list: number[], p: number) =>
		[...list].sort((a, b) => a - b)[Math.floor(list.length * p)]!;
	const p50 = { project: pct(samples.project, 0.5), raw: pct(samples.raw, 0.5) };
	console.log(
		`me.card, ${OPERATIONS / MINE_EVERY} of ${OPERATIONS} operations: p50 ${p50.project.toFixed(2)} ms, p95 ${pct(samples.project, 0.95).toFixed(2)} ms`
	);
	console.log(
		`same queries, raw postgres.js:        p50 ${p50.raw.toFixed(2)} ms, p95 ${pct(samples.raw, 0.95).toFixed(2)} ms`
	);
	console.log(
		JSON.stringify({
			bench: 'card',
			project: Number(p50.project.toFixed(3)),
			raw: Number(p50.raw.toFixed(3)),
			unit: 'ms (p50)',
			ratio: Number((p50.project / p50.raw).toFixed(2))
		})
	);
} finally {
	await raw.end();
	await handle.close();
	await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
	await admin.end();
}
