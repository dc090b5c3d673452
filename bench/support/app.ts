/**
 * Runs the production build of Kopek on a fresh Postgres database for a benchmark: creates the
 * database, builds (into its own directory, unless BENCH_SKIP_BUILD=1 and it exists), starts
 * scripts/start.js and waits until it answers. `stop()` ends the server and drops the database.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import postgres from 'postgres';
import type { Database } from '../../server/db/types';

export const BASE_DATABASE_URL =
	process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
	url: string;
	drop(): Promise<void>;
}

/** A new empty database on the server of DATABASE_URL. */
export async function createBenchDatabase(label: string): Promise<BenchDatabase> {
	const name = `kopek_bench_${label}_${Date.now().toString(36)}`;
	const admin = postgres(BASE_DATABASE_URL, { max: 1, onnotice: () => {} });
	await admin.unsafe(`CREATE DATABASE ${name}`);
	const url = new URL(BASE_DATABASE_URL);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		async drop() {
			await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await admin.end();
		}
	};
}

export interface RunningApp {
	baseUrl: string;
	/** CPU seconds (user + system) the server process has used so far; null off Linux. */
	cpuSeconds(): number | null;
	stop(): Promise<void>;
}

export function processCpuSeconds(pid: number | undefined): number | null {
	if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return null;
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
	// utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second).
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU seconds of the Postgres backends serving this database, by PID (Postgres on this host;
 * null elsewhere). Take it before and after a step and give both to {@link backendCpuDelta}.
 */
export async function backendCpuSeconds(db: Kysely<Database>): Promise<Map<number, number> | null> {
	const result = await sql<{ pid: number }>`
		select pid from pg_stat_activity
		where datname = current_database() and pid <> pg_backend_pid()`.execute(db);
	const byPid = new Map<number, number>();
	for (const { pid } of result.rows) {
		const seconds = processCpuSeconds(Number(pid));
		if (seconds === null) return null;
		byPid.set(Number(pid), seconds);
	}
	return byPid;
}

/** The backends' CPU seconds between two readings (a backend started meanwhile counts whole). */
export function backendCpuDelta(
	before: Map<number, number> | null,
	after: Map<number, number> | null
): number | null {
	if (!before || !after) return null;
	let total = 0;
	for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
	return total;
}

const BUILD_DIR = 'build-bench';

/** Builds the app for benchmarks once per run (or reuses it with BENCH_SKIP_BUILD=1). */
export function buildApp(): void {
	if (process.env.BENCH_SKIP_BUILD === '1' && existsSync(`${BUILD_DIR}/handler.js`)) return;
	// tsconfig.json extends .svelte-kit/tsconfig.json: a named build on a fresh clone (no
	// .svelte-kit yet) fails to write its service worker without it.
	if (!existsSync('.svelte-kit/tsconfig.json')) {
		const env = { ...process.env };
		delete env.KOPEK_BUILD_DIR;
		spawnSync('npx', ['svelte-kit', 'sync'], { stdio: 'ignore', env });
	}
	const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], {
		stdio: ['ignore', 'ignore', 'inherit'],
		env: { ...process.env, KOPEK_BUILD_DIR: BUILD_DIR }
	});
	if (result.status !== 0) throw new Error('the build failed');
}

/**
 * Starts the built app against `databaseUrl` on `port`, with the demo data when `demo`;
 * a null `databaseUrl` runs it on embedded PGlite in a fresh temporary directory (removed on stop).
 */
export async function startApp(
	databaseUrl: string | null,
	options: { port: number; demo?: boolean }
): Promise<RunningApp> {
	buildApp();
	const dataDir = databaseUrl ? null : mkdtempSync(path.join(tmpdir(), 'kopek-bench-'));
	const env: NodeJS.ProcessEnv = { ...process.env };
	if (dataDir) {
		delete env.DATABASE_URL;
		env.KOPEK_DATA_DIR = dataDir;
	} else env.DATABASE_URL = databaseUrl!;
	const baseUrl = `http://localhost:${options.port}`;
	// BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof", to look inside the server under load.
	const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
	const server = spawn('node', [...nodeArgs, 'scripts/start.js'], {
		env: {
			...env,
			KOPEK_BUILD_DIR: BUILD_DIR,
			PORT: String(options.port),
			NODE_ENV: 'production',
			// a fixed key for throwaway test databases only (production on Postgres requires one)
			KOPEK_SECRET_KEY:
				process.env.KOPEK_SECRET_KEY ?? 'a29wZWstdGVzdC1rZXktbmV2ZXItcHJvZHVjdGlvbiE=',
			KOPEK_DEMO: options.demo ? '1' : '0'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let log = '';
	server.stdout.on('data', (d) => (log += d));
	server.stderr.on('data', (d) => (log += d));
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (server.exitCode !== null || Date.now() > deadline) {
			server.kill('SIGTERM');
			if (dataDir) rmSync(dataDir, { recursive: true, force: true });
			throw new Error(`the app did not start on ${baseUrl}:\n${log}`);
		}
		try {
			if ((await fetch(`${baseUrl}/login`)).ok) break;
		} catch {
			/* not up yet */
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	return {
		baseUrl,
		cpuSeconds: () => processCpuSeconds(server.pid),
		async stop() {
			if (server.exitCode === null) {
				server.kill('SIGTERM');
				await new Promise((r) => server.once('exit', r));
			}
			if (dataDir) rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

/** The last line every bench prints: one JSON object, project vs raw Postgres in the same run. */
export function printResult(bench: string, project: number, raw: number, unit: string): void {
	const round = (x: number) => Math.round(x * 1000) / 1000;
	console.log(
		JSON.stringify({
			bench,
			project: round(project),
			raw: round(raw),
			unit,
			ratio: round(project / raw)
		})
	);
}
