/**
 * bench:api — a fleet of tills on the till API (issue 20, SPEC C13) through the real
 * production server: each till, on its own keep-alive connection and integration key, quotes a
 * receipt (POST /api/v1/quotes), records it (POST /api/v1/sales, a fresh Idempotency-Key),
 * pauses BENCH_API_PAUSE_MS and again. Then, in the same run on the same database, the same
 * fleet through `payments.sync` (one operation a call, the same pause: bench/support/fleet-load).
 * Prints quote and sale p50/p95 and sales/s; the JSON line is API sales/s against sync
 * operations/s (goal ≥ 0.7), with the quote's p95 (goal ≤ 50 ms at 100 tills).
 *
 *   npm run bench:api
 *   BENCH_API_C=50 BENCH_API_SECONDS=10 npm run bench:api   # a short run
 */
import http from 'node:http';
import os from 'node:os';
import { openDatabase } from '../server/db/index';
import { migrateToLatest } from '../server/db/migrate';
import { createIntegrationKey } from '../server/services/integration-keys';
import { createBenchDatabase, startApp } from './support/app';
import { describe, runFleet } from './support/fleet-load';
import { percentile } from './support/operations';
import { createWorld, type BenchWorld } from './support/world';

const C = Number(process.env.BENCH_API_C ?? 100);
const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 20);
const WARMUP = Number(process.env.BENCH_API_WARMUP ?? 3);
const PAUSE_MS = Number(process.env.BENCH_API_PAUSE_MS ?? 200);
const PORT = Number(process.env.BENCH_PORT ?? 3221);

function post(agent: http.Agent, url: URL, secret: string, key: string, body: string) {
	return new Promise<{ status: number; text: string }>((resolve, reject) => {
		const request = http.request(
			url,
			{
				agent,
				method: 'POST',
				timeout: 10_000,
				headers: {
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(body),
					authorization: `Bearer ${secret}`,
					'idempotency-key': key
				}
			},
			(response) => {
				let text = '';
				response.setEncoding('utf8');
				response.on('data', (d: string) => (text += d));
				response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
				response.on('error', reject);
			}
		);
		request.on('timeout', () => request.destroy(new Error('timeout')));
		request.on('error', reject);
		request.end(body);
	});
}

async function runTills(base: string, world: BenchWorld, secrets: string[]) {
	const started = performance.now();
	const measureFrom = started + WARMUP * 1000;
	const deadline = measureFrom + SECONDS * 1000;
	const quotes: number[] = [];
	const sales: number[] = [];
	let errors = 0;
	let firstError = '';
	let n = 0;
	await Promise.all(
		secrets.map(async (secret, index) => {
			const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
			await new Promise((r) => setTimeout(r, (index / secrets.length) * PAUSE_MS));
			while (performance.now() < deadline) {
				const customerId = world.customers[Math.floor(Math.random() * world.customers.length)]!;
				const receipt = { totalKopecks: 1 + Math.floor(Math.random() * 10_000_000) };
				const t0 = performance.now();
				let ok = false;
				try {
					const q = await post(
						agent,
						new URL(`${base}/api/v1/quotes`),
						secret,
						`q${n++}`,
						JSON.stringify({ customerId, receipt })
					);
					const t1 = performance.now();
					const s = await post(
						agent,
						new URL(`${base}/api/v1/sales`),
						secret,
						`s${index}-${n++}`,
						JSON.stringify({ customerId, receipt })
					);
					const t2 = performance.now();
					ok = q.status === 200 && s.status === 201;
					if (!ok && !firstError) firstError = `${q.status}/${s.status}: ${s.text.slice(0, 200)}`;
					if (ok && t0 >= measureFrom && t2 <= deadline) {
						quotes.push(t1 - t0);
						sales.push(t2 - t1);
					}
				} catch (error) {
					if (!firstError) firstError = String(error);
				}
				if (!ok && t0 >= measureFrom) errors++;
				await new Promise((r) => setTimeout(r, PAUSE_MS));
			}
			agent.destroy();
		})
	);
	if (firstError) console.log(`  first error: ${firstError}`);
	quotes.sort((a, b) => a - b);
	sales.sort((a, b) => a - b);
	return { quotes, sales, errors, salesPerSecond: sales.length / SECONDS };
}

const database = await createBenchDatabase('api');
const handle = await openDatabase({ databaseUrl: database.url, dataDir: '' });
let app: Awaited<ReturnType<typeof startApp>> | undefined;
try {
	await migrateToLatest(handle.db);
	const world = await createWorld(handle.db, { devices: C, customers: 5000 });
	const secrets: string[] = [];
	for (const device of world.devices) {
		const key = await createIntegrationKey(handle.db, {
			companyId: world.companyId,
			name: `bench ${device.deviceId.slice(-4)}`,
			terminalId: device.deviceId,
			userId: null
		});
		if (!key.ok) throw new Error('no key');
		secrets.push(key.key.secret);
	}
	app = await startApp(database.url, { port: PORT });
	const base = app.baseUrl.replace('localhost', '127.0.0.1');
	console.log(
		`bench:api — ${C} tills, ${PAUSE_MS} ms pause, ${WARMUP} s warm-up + ${SECONDS} s; ${os.cpus().length} CPUs, load ${os
			.loadavg()
			.map((l) => l.toFixed(1))
			.join(' ')}`
	);
	const api = await runTills(base, world, secrets);
	const line = (label: string, xs: number[]) =>
		`${label} p50 ${percentile(xs, 50).toFixed(1)} ms, p95 ${percentile(xs, 95).toFixed(1)} ms`;
	console.log(
		`api      C=${C}: ${api.salesPerSecond.toFixed(0)} sales/s, ${line('quote', api.quotes)}, ${line('sale', api.sales)}, errors ${api.errors}`
	);
	const sync = await runFleet(new URL(`${base}/api/trpc/payments.sync`), world, {
		counters: C,
		batch: 1,
		pauseMs: PAUSE_MS,
		warmupSeconds: WARMUP,
		seconds: SECONDS
	});
	console.log(describe('sync', sync, null));
	const round = (x: number) => Math.round(x * 1000) / 1000;
	console.log(
		JSON.stringify({
			bench: 'api',
			project: round(api.salesPerSecond),
			raw: round(sync.opsPerSecond),
			unit: 'sales/s vs sync ops/s',
			ratio: round(api.salesPerSecond / sync.opsPerSecond),
			quoteP95Ms: round(percentile(api.quotes, 95)),
			saleP95Ms: round(percentile(api.sales, 95)),
			tills: C
		})
	);
} finally {
	await app?.stop();
	await handle.close();
	await database.drop();
}
