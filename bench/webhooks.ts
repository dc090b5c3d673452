/**
 * bench:webhooks — bench:fleet's load (C counters syncing BATCH payments, PAUSE_MS apart)
 * through the real production server, in the same run on the same database: after an
 * unmeasured warm-up run, first with no webhook endpoint, then with one endpoint subscribed to
 * `operation.created` on a local receiver in its own process (KOPEK_WEBHOOKS_ALLOW_PRIVATE=1),
 * then off again. Prints, for each run, the CPU per call of the server, the Postgres backends
 * and the receiver; the fleet's calls/s with webhooks on against the mean of the two offs (goal
 * ≥ 0.9); and the delay from the sync's COMMIT (the event row's transaction time, a little
 * before the COMMIT: the figure errs long) to the receiver's arrival, p50/p95/max (goal p95 ≤
 * 1 s), once every event of the run was delivered.
 *
 *   npm run bench:webhooks
 *   BENCH_WEBHOOKS_C=200 BENCH_WEBHOOKS_SECONDS=60 npm run bench:webhooks
 */
import { openDatabase } from '../server/db/index';
import { migrateToLatest } from '../server/db/migrate';
import { parseSecretKey } from '../server/crypto/secret-key';
import { setEnabled } from '../server/repositories/webhook-endpoints';
import { createEndpoint } from '../server/services/webhook-endpoints';
import { spawn } from 'node:child_process';
import os from 'node:os';
import {
	backendCpuDelta,
	backendCpuSeconds,
	createBenchDatabase,
	printResult,
	processCpuSeconds,
	startApp
} from './support/app';
import { describe, runFleet } from './support/fleet-load';
import { createWorld } from './support/world';

const C = Number(process.env.BENCH_WEBHOOKS_C ?? 100);
const BATCH = Number(process.env.BENCH_FLEET_BATCH ?? 5);
const PAUSE_MS = Number(process.env.BENCH_FLEET_PAUSE_MS ?? 200);
const SECONDS = Number(process.env.BENCH_WEBHOOKS_SECONDS ?? 30);
const WARMUP = Number(process.env.BENCH_FLEET_WARMUP ?? 5);
/** An unmeasured run first, webhooks off (a fresh server and database warm up). */
const WARMUP_RUN = Number(process.env.BENCH_WEBHOOKS_WARMUP_RUN ?? 15);
const PORT = Number(process.env.BENCH_PORT ?? 3213);
const KEY = process.env.KOPEK_SECRET_KEY ?? 'a29wZWstdGVzdC1rZXktbmV2ZXItcHJvZHVjdGlvbiE=';
process.env.KOPEK_WEBHOOKS_ALLOW_PRIVATE = '1';

const loadavg = () =>
	os
		.loadavg()
		.map((l) => l.toFixed(1))
		.join(' ');
const percentile = (sorted: number[], p: number) =>
	sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

const RECEIVER_PORT = Number(process.env.BENCH_RECEIVER_PORT ?? PORT + 1);

/** The receiver in a process of its own (bench/support/webhook-receiver-server.ts). */
async function startReceiver() {
	const child = spawn('node', ['--import', 'tsx', 'bench/support/webhook-receiver-server.ts'], {
		env: { ...process.env, PORT: String(RECEIVER_PORT) },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	await new Promise<void>((resolve, reject) => {
		child.stdout.on('data', (d: Buffer) => d.toString().includes('listening') && resolve());
		child.once('exit', (code) => reject(new Error(`the receiver exited with ${code}`)));
	});
	const base = `http://127.0.0.1:${RECEIVER_PORT}`;
	return {
		url: `${base}/hook`,
		arrivals: async () => (await (await fetch(`${base}/stats`)).json()) as [string, number][],
		cpuSeconds: () => processCpuSeconds(child.pid),
		close: () => void child.kill('SIGTERM')
	};
}

const database = await createBenchDatabase('webhooks');
const handle = await openDatabase({ databaseUrl: database.url, dataDir: '' });
const receiver = await startReceiver();
let app: Awaited<ReturnType<typeof startApp>> | undefined;
try {
	await migrateToLatest(handle.db);
	const world = await createWorld(handle.db, { devices: C, customers: 5000 });
	app = await startApp(database.url, { port: PORT });
	const url = new URL(`${app.baseUrl.replace('localhost', '127.0.0.1')}/api/trpc/payments.sync`);
	const load = {
		counters: C,
		batch: BATCH,
		pauseMs: PAUSE_MS,
		warmupSeconds: WARMUP,
		seconds: SECONDS
	};
	console.log(
		`bench:webhooks — C=${C}, ${BATCH} operations a call, ${PAUSE_MS} ms pause, ${WARMUP} s warm-up + ${SECONDS} s each`
	);

	// A run's CPU per call (warm-up included): the server process, the Postgres backends of the
	// database, the receiver — steadier than calls/s on a shared machine.
	const measured = async (label: string) => {
		const server = app!.cpuSeconds();
		const backends = await backendCpuSeconds(handle.db);
		const receiving = receiver.cpuSeconds();
		const result = await runFleet(url, world, load);
		const calls = result.callsPerSecond * (load.seconds + load.warmupSeconds);
		const perCall = (before: number | null, after: number | null) =>
			before === null || after === null ? 'n/a' : (((after - before) * 1000) / calls).toFixed(2);
		const postgres = backendCpuDelta(backends, await backendCpuSeconds(handle.db));
		console.log(
			`${describe(label, result, null)}\n    CPU ms/call: server ${perCall(server, app!.cpuSeconds())}, ` +
				`Postgres ${perCall(0, postgres)}, receiver ${perCall(receiving, receiver.cpuSeconds())}; load ${loadavg()}`
		);
		return result;
	};
	// Not measured: the first run of a fresh server and database (JIT, caches, autovacuum of
	// the world just written) was up to 30 % slower than the same load a minute later, and
	// weighed on the off side only.
	await runFleet(url, world, { ...load, warmupSeconds: 0, seconds: WARMUP_RUN });

	const off = await measured('webhooks off');

	const endpoint = await createEndpoint(
		handle.db,
		parseSecretKey(KEY),
		{
			scope: world.companyId,
			url: receiver.url,
			description: 'bench',
			events: ['operation.created']
		},
		{ allowPrivate: true }
	);
	if (!endpoint.ok) throw new Error(endpoint.error);
	const on = await measured('webhooks on');

	// Every event of the run delivered, then the delays from each event's transaction time.
	const events = await handle.db
		.selectFrom('webhook_events')
		.select(['id', 'created_at'])
		.where('type', '=', 'operation.created')
		.execute();
	const drainStarted = Date.now();
	let arrivals = await receiver.arrivals();
	while (arrivals.length < events.length && Date.now() - drainStarted < 120_000) {
		await new Promise((r) => setTimeout(r, 500));
		arrivals = await receiver.arrivals();
	}
	console.log(
		`${events.length} events, ${arrivals.length} arrived; the queue drained ${((Date.now() - drainStarted) / 1000).toFixed(1)} s after the load stopped`
	);
	const createdAt = new Map(
		events.map((e) => [`msg_${e.id.replaceAll('-', '')}`, e.created_at.getTime()])
	);
	const delays = arrivals
		.map(([id, at]) => at - (createdAt.get(id) ?? NaN))
		.filter((d) => Number.isFinite(d))
		.sort((a, b) => a - b);
	const ids = new Set(arrivals.map(([id]) => id));
	console.log(
		`COMMIT → delivery: p50 ${percentile(delays, 50)} ms, p95 ${percentile(delays, 95)} ms, max ${delays.at(-1)} ms over ${delays.length} deliveries (${ids.size} distinct ids, ${arrivals.length - ids.size} repeated)`
	);
	console.log(
		JSON.stringify({ bench: 'webhooks-delay', p95Ms: percentile(delays, 95), goalMs: 1000 })
	);
	// Off once more after it (endpoint disabled), so that drift over the run (a warmer database,
	// a busier machine) weighs on both sides: on is compared with the mean of the two offs.
	await setEnabled(handle.db, world.companyId, endpoint.id, false);
	const offAfter = await measured('webhooks off again');
	printResult(
		'webhooks',
		on.callsPerSecond,
		(off.callsPerSecond + offAfter.callsPerSecond) / 2,
		'calls/s (on vs mean of off before and after)'
	);
} finally {
	await app?.stop();
	await receiver.close();
	await handle.close();
	await database.drop();
}
