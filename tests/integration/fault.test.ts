/**
 * Fault tests (issue 7, deliverable 8): Kopek keeps serving and loses or doubles nothing when
 * its Postgres restarts and then stays away for 20 s under several syncing counters, and when
 * the server itself is SIGKILLed mid-sync on the embedded database. The Postgres test runs on
 * a throwaway cluster of its own (never the machine's shared server).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/index';
import { migrateToLatest } from '../../server/db/migrate';
import { emptyStats, runClient, seedShop, type ClientStats } from './support/sync-clients';
import { canStartCluster, freePort, ThrowawayCluster } from './support/throwaway-cluster';

const CLIENTS = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Server {
	child: ChildProcess;
	url: string;
	log: () => string;
}

async function startServer(env: Record<string, string>): Promise<Server> {
	const port = await freePort();
	let log = '';
	const child = spawn(
		process.execPath,
		['--import', 'tsx', path.resolve('tests/integration/support/fault-server.ts')],
		{
			env: {
				...process.env,
				...env,
				PORT: String(port),
				NODE_ENV: 'production',
				// a fixed key for throwaway test databases only (production on Postgres requires one)
				KOPEK_SECRET_KEY:
					process.env.KOPEK_SECRET_KEY ?? 'a29wZWstdGVzdC1rZXktbmV2ZXItcHJvZHVjdGlvbiE='
			},
			stdio: ['ignore', 'pipe', 'pipe']
		}
	);
	child.stdout!.on('data', (d) => (log += d));
	child.stderr!.on('data', (d) => (log += d));
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) break;
		try {
			if ((await fetch(`${url}/healthz`)).ok) return { child, url, log: () => log };
		} catch {
			/* not up yet */
		}
		await sleep(200);
	}
	child.kill('SIGKILL');
	throw new Error(`the fault server did not start:\n${log}`);
}

async function readyStatus(url: string): Promise<number> {
	try {
		return (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(8000) })).status;
	} catch {
		return 0;
	}
}

async function waitFor(what: string, check: () => Promise<boolean>, ms: number) {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		if (await check()) return;
		await sleep(250);
	}
	throw new Error(`timed out waiting for ${what}`);
}

/** Every produced operation stored exactly once, every acknowledged one among them. */
async function expectExactlyOnce(
	count: (ids: string[]) => Promise<{ total: number; matching: number }>,
	stats: ClientStats[]
) {
	const produced = stats.flatMap((s) => s.produced);
	const acknowledged = stats.flatMap((s) => [...s.acknowledged]);
	expect(new Set(produced).size).toBe(produced.length);
	// The clients retried until every batch was answered: all were acknowledged.
	expect(new Set(acknowledged).size).toBe(produced.length);
	const { total, matching } = await count(produced);
	expect(matching).toBe(produced.length);
	expect(total).toBe(produced.length);
}

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
	for (const cleanup of cleanups.reverse()) await cleanup();
});

// On the Postgres run of the suite (CI runs it twice: Postgres, then embedded PGlite).
describe.runIf(process.env.DATABASE_URL && canStartCluster())(
	'fault: Postgres restarts and stops under syncing counters',
	() => {
		it('keeps the server alive, answers 503 then recovers, stores each operation once', async () => {
			const cluster = await ThrowawayCluster.create();
			cleanups.push(() => cluster.destroy());
			const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
			await admin.unsafe('CREATE DATABASE kopek');
			await admin.end();
			const databaseUrl = cluster.url.replace(/\/postgres$/, '/kopek');

			const server = await startServer({ DATABASE_URL: databaseUrl, KOPEK_DEMO: '0' });
			cleanups.push(() => void server.child.kill('SIGKILL'));
			await waitFor('readiness', async () => (await readyStatus(server.url)) === 200, 60_000);

			const seed = await openDatabase({ databaseUrl, dataDir: '' });
			const { token, deviceIds } = await seedShop(seed.db, CLIENTS);
			await seed.close();

			let producing = true;
			const stats = deviceIds.map(() => emptyStats());
			const deadline = Date.now() + 150_000;
			const clients = deviceIds.map((deviceId, i) =>
				runClient({
					baseUrl: () => server.url,
					token,
					deviceId,
					producing: () => producing,
					deadline,
					stats: stats[i]!
				})
			);
			const acknowledged = () => stats.reduce((n, s) => n + s.acknowledged.size, 0);

			await waitFor('syncs before the restart', async () => acknowledged() >= 100, 60_000);
			cluster.restart();
			const afterRestart = acknowledged();
			await waitFor(
				'syncs after the restart',
				async () => acknowledged() >= afterRestart + 100,
				60_000
			);

			cluster.stop();
			const stoppedAt = Date.now();
			await waitFor(
				'/readyz to say 503',
				async () => (await readyStatus(server.url)) === 503,
				10_000
			);
			while (Date.now() - stoppedAt < 20_000) {
				expect(server.child.exitCode).toBeNull();
				expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
				await sleep(1000);
			}
			cluster.start();
			await waitFor(
				'/readyz to say 200 again',
				async () => (await readyStatus(server.url)) === 200,
				30_000
			);
			const afterOutage = acknowledged();
			await waitFor(
				'syncs after the outage',
				async () => acknowledged() >= afterOutage + 100,
				60_000
			);
			producing = false;
			await Promise.all(clients);

			expect(server.child.exitCode, server.log()).toBeNull();
			const statuses = stats.reduce<Record<string, number>>((all, s) => {
				for (const [k, v] of Object.entries(s.statuses)) all[k] = (all[k] ?? 0) + v;
				return all;
			}, {});
			console.log(
				`[fault] Postgres: ${JSON.stringify(statuses)}, slowest answer ${Math.max(...stats.map((s) => s.slowestMs))} ms`
			);
			// Unavailable is a 503 with Retry-After, never a 500, and every call got an answer.
			expect(statuses['500'] ?? 0, server.log()).toBe(0);
			expect(statuses['503'] ?? 0).toBeGreaterThan(0);
			expect(stats.reduce((n, s) => n + s.missingRetryAfter, 0)).toBe(0);
			expect(stats.reduce((n, s) => n + s.noAnswer, 0)).toBe(0);

			const check = await openDatabase({ databaseUrl, dataDir: '' });
			try {
				await expectExactlyOnce(async (ids) => {
					const total = await check.db
						.selectFrom('operations')
						.select((eb) => eb.fn.countAll<number>().as('n'))
						.executeTakeFirstOrThrow();
					const matching = await check.db
						.selectFrom('operations')
						.select((eb) => eb.fn.countAll<number>().as('n'))
						.where('id', 'in', ids)
						.executeTakeFirstOrThrow();
					return { total: Number(total.n), matching: Number(matching.n) };
				}, stats);
			} finally {
				await check.close();
			}
		}, 240_000);
	}
);

describe.runIf(!process.env.DATABASE_URL)(
	'fault: the server is SIGKILLed mid-sync on the embedded database',
	() => {
		it('reopens its data and stores each operation exactly once', async () => {
			const dataDir = mkdtempSync(path.join(tmpdir(), 'kopek-fault-pglite-'));
			cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
			const seed = await openDatabase({ dataDir });
			await migrateToLatest(seed.db);
			const { token, deviceIds } = await seedShop(seed.db, 3);
			await seed.close();

			const env = { KOPEK_DATA_DIR: dataDir, KOPEK_DEMO: '0', DATABASE_URL: '' };
			let server = await startServer(env);
			cleanups.push(() => void server.child.kill('SIGKILL'));
			let producing = true;
			const stats = deviceIds.map(() => emptyStats());
			const deadline = Date.now() + 150_000;
			const clients = deviceIds.map((deviceId, i) =>
				runClient({
					baseUrl: () => server.url,
					token,
					deviceId,
					producing: () => producing,
					deadline,
					stats: stats[i]!
				})
			);
			const acknowledged = () => stats.reduce((n, s) => n + s.acknowledged.size, 0);

			for (let kill = 0; kill < 1; kill++) {
				const before = acknowledged();
				await waitFor('syncs before the kill', async () => acknowledged() >= before + 60, 60_000);
				server.child.kill('SIGKILL');
				await new Promise((r) => server.child.once('exit', r));
				server = await startServer(env);
			}
			const last = acknowledged();
			await waitFor(
				'syncs after the last restart',
				async () => acknowledged() >= last + 60,
				60_000
			);
			producing = false;
			await Promise.all(clients);
			server.child.kill('SIGTERM');
			await new Promise((r) => server.child.once('exit', r));

			const check = await openDatabase({ dataDir });
			try {
				await expectExactlyOnce(async (ids) => {
					const total = await check.db
						.selectFrom('operations')
						.select((eb) => eb.fn.countAll<number>().as('n'))
						.executeTakeFirstOrThrow();
					const matching = await check.db
						.selectFrom('operations')
						.select((eb) => eb.fn.countAll<number>().as('n'))
						.where('id', 'in', ids)
						.executeTakeFirstOrThrow();
					return { total: Number(total.n), matching: Number(matching.n) };
				}, stats);
			} finally {
				await check.close();
			}
		}, 240_000);
	}
);
