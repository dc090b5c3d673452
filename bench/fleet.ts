/**
 * bench:fleet — a fleet of counters syncing small batches often, through the real production
 * server (`payments.sync`), and the same load in the same run on the same database against a
 * minimal raw handler (bench/support/raw-sync-server.ts: node:http + postgres.js, the session
 * lookup and the same INSERT … ON CONFLICT in one transaction).
 *
 * For each fleet size C of BENCH_FLEET_C, in order: C counters (each its own session and
 * terminal) send BENCH_FLEET_BATCH payments, wait for the answer, pause BENCH_FLEET_PAUSE_MS,
 * and again, for BENCH_FLEET_WARMUP s (not measured) then BENCH_FLEET_SECONDS s; first to
 * Kopek, then to the raw handler. The search stops after the first C where Kopek's p95 is over
 * BENCH_FLEET_P95_MS. The JSON line compares calls/s at the highest C where Kopek's p95 stayed
 * within it; the peak calls/s of each side over all steps is printed too.
 *
 *   BENCH_FLEET_C=100,200,300 BENCH_FLEET_SECONDS=60 npm run bench:fleet
 *   BENCH_FLEET_C=50,100 BENCH_FLEET_SECONDS=10 npm run bench:fleet   # a short run
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { openDatabase } from '../server/db/index';
import { migrateToLatest } from '../server/db/migrate';
import {
	backendCpuDelta,
	backendCpuSeconds,
	createBenchDatabase,
	printResult,
	processCpuSeconds,
	startApp
} from './support/app';
import { describe, runFleet, type FleetResult } from './support/fleet-load';
import { turnLeversOn } from './support/levers';
import { createWorld } from './support/world';

const list = (text: string) =>
	text
		.split(',')
		.map(Number)
		.filter((n) => n > 0);
const STEPS = list(process.env.BENCH_FLEET_C ?? '100,200,300,400,500').sort((a, b) => a - b);
const BATCH = Number(process.env.BENCH_FLEET_BATCH ?? 5);
const PAUSE_MS = Number(process.env.BENCH_FLEET_PAUSE_MS ?? 200);
const SECONDS = Number(process.env.BENCH_FLEET_SECONDS ?? 60);
const WARMUP = Number(process.env.BENCH_FLEET_WARMUP ?? 5);
const P95_MS = Number(process.env.BENCH_FLEET_P95_MS ?? 250);
const PORT = Number(process.env.BENCH_PORT ?? 3211);
const RAW_PORT = Number(process.env.BENCH_RAW_PORT ?? PORT + 1);

async function startRaw(url: string, companyId: number, rateBp: number) {
	const raw = spawn('node', ['--import', 'tsx', 'bench/support/raw-sync-server.ts'], {
		env: {
			...process.env,
			DATABASE_URL: url,
			PORT: String(RAW_PORT),
			RAW_COMPANY_ID: String(companyId),
			RAW_RATE_BP: String(rateBp),
			NODE_ENV: 'production',
			// a fixed key for throwaway test databases only (production on Postgres requires one)
			KOPEK_SECRET_KEY:
				process.env.KOPEK_SECRET_KEY ?? 'a29wZWstdGVzdC1rZXktbmV2ZXItcHJvZHVjdGlvbiE='
		},
		stdio: ['ignore', 'pipe', 'inherit']
	});
	await new Promise<void>((resolve, reject) => {
		raw.stdout.on('data', (d: Buffer) => {
			if (d.toString().includes('listening')) resolve();
		});
		raw.once('exit', (code) => reject(new Error(`the raw handler exited with ${code}`)));
	});
	return {
		cpuSeconds: () => processCpuSeconds(raw.pid),
		async stop() {
			raw.kill('SIGTERM');
			await new Promise((r) => raw.once('exit', r));
		}
	};
}

/** A process's (or the Postgres backends') CPU per call over the whole step (warm-up included), in ms. */
function cpuPerCall(before: number | null, after: number | null, result: FleetResult) {
	if (before === null || after === null) return null;
	const calls = result.callsPerSecond * (SECONDS + WARMUP);
	return ((after - before) * 1000) / calls;
}

const database = await createBenchDatabase('fleet');
const handle = await openDatabase({ databaseUrl: database.url, dataDir: '' });
let app: Awaited<ReturnType<typeof startApp>> | undefined;
let raw: Awaited<ReturnType<typeof startRaw>> | undefined;
try {
	await migrateToLatest(handle.db);
	const maxC = STEPS.at(-1) ?? 0;
	const world = await createWorld(handle.db, { devices: maxC, customers: 5000 });
	console.log(await turnLeversOn(handle.db, [world.companyId]));
	app = await startApp(database.url, { port: PORT });
	raw = await startRaw(database.url, world.companyId, world.rateBp);
	const projectUrl = new URL(
		`${app.baseUrl.replace('localhost', '127.0.0.1')}/api/trpc/payments.sync`
	);
	const rawUrl = new URL(`http://127.0.0.1:${RAW_PORT}/sync`);
	console.log(
		`bench:fleet — C in ${STEPS.join(', ')}; ${BATCH} operations a call, ${PAUSE_MS} ms pause, ` +
			`${WARMUP} s warm-up + ${SECONDS} s each; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load ${os
				.loadavg()
				.map((l) => l.toFixed(1))
				.join(' ')}`
	);

	let best: { project: FleetResult; raw: FleetResult } | undefined;
	let peakProject = 0;
	let peakRaw = 0;
	for (const counters of STEPS) {
		const load = {
			counters,
			batch: BATCH,
			pauseMs: PAUSE_MS,
			warmupSeconds: WARMUP,
			seconds: SECONDS
		};
		let cpu = app.cpuSeconds();
		let backends = await backendCpuSeconds(handle.db);
		const project = await runFleet(projectUrl, world, load);
		const projectPostgres = backendCpuDelta(backends, await backendCpuSeconds(handle.db));
		console.log(
			describe(
				'kopek',
				project,
				cpuPerCall(cpu, app.cpuSeconds(), project),
				cpuPerCall(0, projectPostgres, project)
			)
		);
		cpu = raw.cpuSeconds();
		backends = await backendCpuSeconds(handle.db);
		const reference = await runFleet(rawUrl, world, load);
		const rawPostgres = backendCpuDelta(backends, await backendCpuSeconds(handle.db));
		console.log(
			describe(
				'raw',
				reference,
				cpuPerCall(cpu, raw.cpuSeconds(), reference),
				cpuPerCall(0, rawPostgres, reference)
			)
		);
		peakProject = Math.max(peakProject, project.callsPerSecond);
		peakRaw = Math.max(peakRaw, reference.callsPerSecond);
		if (project.p95 > P95_MS || project.errors > 0) break;
		best = { project, raw: reference };
	}

	console.log(
		`peak calls/s: kopek ${peakProject.toFixed(0)}, raw ${peakRaw.toFixed(0)}, ratio ${(peakProject / peakRaw).toFixed(2)}`
	);
	if (!best) {
		console.log(`kopek's p95 was over ${P95_MS} ms already at C=${STEPS[0]}`);
		process.exitCode = 1;
	} else {
		console.log(
			`highest C with kopek's p95 ≤ ${P95_MS} ms: ${best.project.counters}; calls/s there: kopek ${best.project.callsPerSecond.toFixed(0)}, raw ${best.raw.callsPerSecond.toFixed(0)}`
		);
		printResult('fleet', best.project.callsPerSecond, best.raw.callsPerSecond, 'calls/s');
	}
} finally {
	await raw?.stop();
	await app?.stop();
	await handle.close();
	await database.drop();
}
