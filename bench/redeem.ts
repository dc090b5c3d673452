/**
 * Pay with cashback under contention: 20 devices of 4 companies redeem concurrently for 50
 * customers with small balances (each customer's attempts total 3× the balance), through the
 * same service code as payments.redeem, with an injected clock so that every attempt carries a
 * fresh valid code. Against it, in the same run and at the same concurrency: a raw SQL
 * transaction doing the same balance decrement + operation insert for another 50 customers.
 * Prints redemptions/s, overdrafts (must be 0), whether balances equal the ledger, and last
 * the JSON line: p95 latency of the project vs raw.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/redeem.ts
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase } from '../server/db/index';
import { migrateToLatest } from '../server/db/migrate';
import { getSecretKey } from '../server/crypto/keys';
import { listBalanceMismatches, rebuildBalances } from '../server/repositories/balances';
import { ensureOtpSecret } from '../server/repositories/otp-codes';
import { redeem } from '../server/services/redemption';
import { luhnCheckDigit } from '../src/lib/domain/customer-id';
import { otpCode } from '../src/lib/domain/otp';
import { uuidv7 } from '../src/lib/domain/uuid';
import { createBenchDatabase, printResult } from './support/app';
import { connectRaw, percentile } from './support/operations';

const COMPANIES = 4;
const DEVICES_PER_COMPANY = 5;
const CUSTOMERS = 50;
const BALANCE = 100_00;
const ATTEMPT = 50_00; // six attempts of half the balance each: 3× the balance
const ATTEMPTS_PER_CUSTOMER = (3 * BALANCE) / ATTEMPT;
const BILL = 100_00;
const STEP_MS = 30_000;

const database = await createBenchDatabase('redeem');
const handle = await openDatabase({ databaseUrl: database.url, dataDir: '', maxConnections: 20 });
const raw = connectRaw(database.url, 20);
const db = handle.db;
const key = getSecretKey();
try {
	await migrateToLatest(db);
	await db.insertInto('partners').values({ id: 1, name: 'Bench' }).execute();
	const devices: { companyId: number; deviceId: string }[] = [];
	for (let c = 0; c < COMPANIES; c++) {
		const company = await db
			.insertInto('companies')
			.values({
				name: `Shop ${c}`,
				email: `shop${c}@example.test`,
				inviter_partner_id: 1,
				status: 'active'
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await db
			.insertInto('company_rates')
			.values({ company_id: company.id, rate_bp: 1000, effective_from: new Date('2000-01-01') })
			.execute();
		await db
			.insertInto('company_redeem_limits')
			.values({
				company_id: company.id,
				redeem_max_bp: 10_000,
				effective_from: new Date('2000-01-01')
			})
			.execute();
		for (let d = 0; d < DEVICES_PER_COMPANY; d++) {
			const device = await db
				.insertInto('devices')
				.values({ company_id: company.id, name: `Касса ${d}` })
				.returning('id')
				.executeTakeFirstOrThrow();
			devices.push({ companyId: company.id, deviceId: device.id });
		}
	}
	const idOf = (n: number) => {
		const body = String(10_000 + n);
		return body + String(luhnCheckDigit(body));
	};
	const project = Array.from({ length: CUSTOMERS }, (_, i) => idOf(i));
	const direct = Array.from({ length: CUSTOMERS }, (_, i) => idOf(CUSTOMERS + i));
	await db
		.insertInto('customers')
		.values([...project, ...direct].map((id) => ({ id, name: `Клиент ${id}` })))
		.execute();
	// Each balance comes from a real ledger row: a payment at 100 % elsewhere.
	const seed = devices[0]!;
	await sql`insert into operations (id, company_id, customer_id, amount_kopecks, rate_bp,
			cashback_kopecks, occurred_at, content_hash)
		select gen_random_uuid(), ${seed.companyId}, c.id, ${BALANCE}, 10000, ${BALANCE},
			now() - interval '1 day', 'seed'
		from customers c`.execute(db);
	await rebuildBalances(db);
	const secrets = new Map<string, Uint8Array>();
	for (const id of project) secrets.set(id, await ensureOtpSecret(db, key, id));

	// The attempts, interleaved across customers; each at its own step of the injected clock.
	const base = Date.now();
	type Attempt = { customerId: string; k: number };
	const attemptsFor = (ids: string[]) => {
		const list: Attempt[] = [];
		for (let k = 0; k < ATTEMPTS_PER_CUSTOMER; k++)
			for (const id of ids) list.push({ customerId: id, k });
		return list;
	};

	async function runConcurrently(
		attempts: Attempt[],
		one: (a: Attempt, device: (typeof devices)[number]) => Promise<boolean>
	) {
		const latencies: number[] = [];
		let next = 0;
		let accepted = 0;
		const started = performance.now();
		await Promise.all(
			devices.map(async (device) => {
				while (next < attempts.length) {
					const attempt = attempts[next++]!;
					const t0 = performance.now();
					if (await one(attempt, device)) accepted++;
					latencies.push(performance.now() - t0);
				}
			})
		);
		const seconds = (performance.now() - started) / 1000;
		latencies.sort((a, b) => a - b);
		return { latencies, accepted, seconds };
	}

	const projectRun = await runConcurrently(attemptsFor(project), async (a, device) => {
		const now = new Date(base + a.k * STEP_MS);
		const outcome = await redeem(db, {
			id: uuidv7(),
			companyId: device.companyId,
			deviceId: device.deviceId,
			customerId: a.customerId,
			code: otpCode(secrets.get(a.customerId)!, now),
			billKopecks: BILL,
			redeemKopecks: ATTEMPT,
			occurredAt: now.toISOString(),
			now,
			key,
			createdBy: null
		});
		if (outcome.outcome === 'rejected' && outcome.reason !== 'insufficient_balance')
			throw new Error(`unexpected refusal ${outcome.reason}`);
		return outcome.outcome === 'accepted';
	});

	const rawRun = await runConcurrently(attemptsFor(direct), async (a, device) => {
		const cashback = Math.floor(((BILL - ATTEMPT) * 1000 + 5000) / 10_000);
		return raw.begin(async (tx) => {
			const [row] = await tx`update customer_balances
				set balance_kopecks = balance_kopecks - ${ATTEMPT} + ${cashback}, updated_at = now()
				where customer_id = ${a.customerId} and balance_kopecks >= ${ATTEMPT}
				returning balance_kopecks`;
			if (!row) return false;
			await tx`insert into operations (id, company_id, device_id, customer_id, amount_kopecks,
					redeemed_kopecks, rate_bp, cashback_kopecks, occurred_at, content_hash)
				values (${randomUUID()}, ${device.companyId}, ${device.deviceId}, ${a.customerId}, ${BILL},
					${ATTEMPT}, 1000, ${cashback}, now(), 'raw')`;
			return true;
		});
	});

	// Overdrafts: customers whose redemptions exceeded what they had (balance + cashback earned).
	const overdrafts = await sql<{ n: number }>`
		select count(*) as n from (
			select customer_id, sum(cashback_kopecks) - sum(redeemed_kopecks) as ledger
			from operations group by customer_id) l
		where l.ledger < 0`.execute(db);
	const negative = await sql<{ n: number }>`
		select count(*) as n from customer_balances where balance_kopecks < 0`.execute(db);
	const mismatches = await listBalanceMismatches(db);
	const p95 = (l: number[]) => percentile(l, 95);
	console.log(
		`project: ${projectRun.accepted} of ${projectRun.latencies.length} redemptions accepted in ` +
			`${projectRun.seconds.toFixed(2)} s = ${(projectRun.latencies.length / projectRun.seconds).toFixed(0)} attempts/s, ` +
			`p50 ${percentile(projectRun.latencies, 50).toFixed(2)} ms, p95 ${p95(projectRun.latencies).toFixed(2)} ms`
	);
	console.log(
		`raw SQL: ${rawRun.accepted} of ${rawRun.latencies.length} accepted in ${rawRun.seconds.toFixed(2)} s = ` +
			`${(rawRun.latencies.length / rawRun.seconds).toFixed(0)} attempts/s, ` +
			`p50 ${percentile(rawRun.latencies, 50).toFixed(2)} ms, p95 ${p95(rawRun.latencies).toFixed(2)} ms`
	);
	console.log(
		`overdrafts: ${Number(overdrafts.rows[0]!.n) + Number(negative.rows[0]!.n)}; ` +
			`balances equal to the ledger sum: ${mismatches.length === 0 ? 'yes' : `NO (${mismatches.length} differ)`}`
	);
	if (mismatches.length > 0 || Number(overdrafts.rows[0]!.n) > 0) process.exitCode = 1;
	printResult('redeem', p95(projectRun.latencies), p95(rawRun.latencies), 'ms p95');
} finally {
	await raw.end();
	await handle.close();
	await database.drop();
}
