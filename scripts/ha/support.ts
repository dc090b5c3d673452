/**
 * What the HA scripts share (issue 23): the local Patroni cluster of scripts/ha/cluster.sh
 * driven from Node with a guaranteed teardown, Kopek's API server on it (the fault tests'
 * server: the same router, guard, 503 + Retry-After), a fleet of counters that retry each
 * batch until it is acknowledged, and the exactly-once / ledger checks.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { verifySummaries } from '../../server/repositories/summaries-ledger';
import { openDatabase } from '../../server/db/index';
import { seedShop } from '../../tests/integration/support/sync-clients';

const SCRIPT = path.resolve('scripts/ha/cluster.sh');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs cluster.sh; throws with its output when it fails. */
export function cluster(args: string[], env: Record<string, string> = {}): string {
	const result = spawnSync('bash', [SCRIPT, ...args], {
		env: { ...process.env, ...env },
		encoding: 'utf8',
		timeout: 180_000
	});
	if (result.status !== 0) {
		throw new Error(`cluster.sh ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
	}
	return result.stdout.trim();
}

/**
 * cluster.sh without blocking the event loop: for calls made while the counters sync (a
 * blocked loop would pause them and skew the measured pauses).
 */
export function clusterAsync(args: string[], env: Record<string, string> = {}): Promise<string> {
	return new Promise((resolve, reject) => {
		execFile(
			'bash',
			[SCRIPT, ...args],
			{ env: { ...process.env, ...env }, encoding: 'utf8', timeout: 180_000 },
			(error, stdout, stderr) => {
				if (error) reject(new Error(`cluster.sh ${args.join(' ')} failed:\n${stdout}${stderr}`));
				else resolve(stdout.trim());
			}
		);
	});
}

const teardowns: (() => void)[] = [];
/** Registers a synchronous teardown, run once on exit, error, SIGINT/SIGTERM or the time limit. */
export function onTeardown(fn: () => void) {
	teardowns.push(fn);
}
function runTeardowns() {
	for (const fn of teardowns.splice(0).reverse()) {
		try {
			fn();
		} catch (error) {
			console.error(`[ha] teardown: ${(error as Error).message}`);
		}
	}
}
process.on('exit', runTeardowns);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => {
		runTeardowns();
		process.exit(130);
	});
}
/** Ends the process (with teardown) if it runs past `seconds`. */
export function timeLimit(seconds: number) {
	setTimeout(() => {
		console.error(`[ha] over the time limit of ${seconds} s; tearing down`);
		process.exit(3);
	}, seconds * 1000).unref();
}

/** The WAL sender of node N (the primary's postmaster's child streaming to the replica). */
export function walSenderPid(dir: string, node: string): number | null {
	let postmaster: string;
	try {
		postmaster = readFileSync(
			path.join(dir, `node${node}`, 'data', 'postmaster.pid'),
			'utf8'
		).split('\n')[0]!;
	} catch {
		return null;
	}
	const children = spawnSync('ps', ['--ppid', postmaster, '-o', 'pid=,args='], {
		encoding: 'utf8'
	});
	for (const line of children.stdout.split('\n')) {
		if (/walsender/.test(line)) return Number(line.trim().split(/\s+/)[0]);
	}
	return null;
}

export function clusterEnv(dir: string): Record<string, string> {
	return Object.fromEntries(
		readFileSync(path.join(dir, 'env'), 'utf8')
			.split('\n')
			.filter((line) => line.includes('='))
			.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])
	);
}

/** The multi-host URL of `database` on the cluster (read-write: the primary, wherever it is). */
export function databaseUrl(dir: string, database: string): string {
	return clusterEnv(dir).HA_DATABASE_URL!.replace('/postgres?', `/${database}?`);
}

export async function createDatabase(dir: string, name: string) {
	const admin = postgres(clusterEnv(dir).HA_DATABASE_URL!, {
		max: 1,
		onnotice: () => {},
		target_session_attrs: 'primary'
	});
	await admin.unsafe(`CREATE DATABASE ${name}`);
	await admin.end();
}

export interface Server {
	child: ChildProcess;
	url: string;
	log: () => string;
}

/** Kopek's API (tests/integration/support/fault-server.ts) on `port`, ready when /readyz says 200. */
export async function startServer(env: Record<string, string>, port: number): Promise<Server> {
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
				KOPEK_DEMO: '0',
				// a fixed key for throwaway test databases only (production on Postgres requires one)
				KOPEK_SECRET_KEY: 'a29wZWstdGVzdC1rZXktbmV2ZXItcHJvZHVjdGlvbiE='
			},
			stdio: ['ignore', 'pipe', 'pipe']
		}
	);
	child.stdout!.on('data', (d) => (log += d));
	child.stderr!.on('data', (d) => (log += d));
	onTeardown(() => void child.kill('SIGKILL'));
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 90_000;
	while (Date.now() < deadline && child.exitCode === null) {
		try {
			if ((await fetch(`${url}/readyz`)).status === 200) return { child, url, log: () => log };
		} catch {
			/* not up yet */
		}
		await sleep(250);
	}
	child.kill('SIGKILL');
	throw new Error(`the server did not start:\n${log}`);
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms: number) {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		if (await check()) return;
		await sleep(100);
	}
	throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
}

/** One counter's record: what it produced, and when each call was sent and acknowledged. */
export interface Counter {
	produced: string[];
	acknowledged: Map<string, number>;
	/** [sent, answered] of each acknowledged call, in ms since the epoch. */
	acks: [number, number][];
	statuses: Record<string, number>;
}

export function newCounter(): Counter {
	return { produced: [], acknowledged: new Map(), acks: [], statuses: {} };
}

/**
 * A counter like the offline engine: a batch leaves its outbox only when the server answered
 * it (accepted or duplicate); any failure retries the same batch after a short pause.
 */
export async function runCounter(options: {
	url: string;
	token: string;
	deviceId: string;
	customerId: string;
	producing: () => boolean;
	deadline: number;
	counter: Counter;
	batch: number;
}) {
	const { counter } = options;
	while (options.producing()) {
		const batch = Array.from({ length: options.batch }, (_, i) => ({
			id: uuidv7(),
			customerId: options.customerId,
			amountKopecks: 100_00 + i,
			occurredAt: new Date(Date.now() - 1000).toISOString()
		}));
		counter.produced.push(...batch.map((op) => op.id));
		for (;;) {
			if (Date.now() > options.deadline) throw new Error('a counter ran past its deadline');
			const sent = Date.now();
			try {
				const response = await fetch(`${options.url}/api/trpc/payments.sync`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', cookie: `kopek_session=${options.token}` },
					body: JSON.stringify({ json: { deviceId: options.deviceId, operations: batch } }),
					signal: AbortSignal.timeout(15_000)
				});
				const text = await response.text();
				counter.statuses[response.status] = (counter.statuses[response.status] ?? 0) + 1;
				if (response.status === 503 && !response.headers.get('retry-after')) {
					counter.statuses.missingRetryAfter = (counter.statuses.missingRetryAfter ?? 0) + 1;
				}
				if (response.status === 200) {
					const answered = Date.now();
					const outcomes = JSON.parse(text).result.data.json as { id: string; outcome: string }[];
					for (const o of outcomes) {
						if (o.outcome !== 'accepted' && o.outcome !== 'duplicate') {
							throw new Error(`unexpected outcome ${o.outcome} for ${o.id}`);
						}
						counter.acknowledged.set(o.id, answered);
					}
					counter.acks.push([sent, answered]);
					break;
				}
			} catch (error) {
				if ((error as Error).message?.startsWith('unexpected outcome')) throw error;
				counter.statuses.network = (counter.statuses.network ?? 0) + 1;
			}
			await sleep(250);
		}
		await sleep(20);
	}
}

/** Kopek on the cluster database `url`, and a shop with `clients` counters (their session and devices). */
export async function startKopekWithShop(url: string, port: number, clients: number) {
	const server = await startServer({ DATABASE_URL: url }, port);
	const seed = await openDatabase({ databaseUrl: url, dataDir: '' });
	const { token, deviceIds } = await seedShop(seed.db, clients);
	await seed.close();
	return { server, token, deviceIds };
}

/** One counter per device syncing until `stop()`, which waits for every outbox to drain. */
export function startFleet(options: {
	url: string;
	token: string;
	deviceIds: string[];
	deadline: number;
	batch: number;
}) {
	let producing = true;
	const counters = options.deviceIds.map(() => newCounter());
	const clients = options.deviceIds.map((deviceId, i) =>
		runCounter({
			url: options.url,
			token: options.token,
			deviceId,
			customerId: '123455',
			producing: () => producing,
			deadline: options.deadline,
			counter: counters[i]!,
			batch: options.batch
		})
	);
	return {
		counters,
		async stop(): Promise<Counter[]> {
			producing = false;
			await Promise.all(clients);
			return counters;
		}
	};
}

export const acknowledgedCount = (counters: Counter[]) =>
	counters.reduce((n, c) => n + c.acknowledged.size, 0);

/** The first acknowledged call that was sent after `t` (it cannot have reached a node lost at t). */
export function firstAckSentAfter(counters: Counter[], t: number): number | null {
	let first: number | null = null;
	for (const c of counters) {
		for (const [sent, answered] of c.acks) {
			if (sent >= t && (first === null || answered < first)) first = answered;
		}
	}
	return first;
}

export function statusTotals(counters: Counter[]): Record<string, number> {
	const all: Record<string, number> = {};
	for (const c of counters) {
		for (const [k, v] of Object.entries(c.statuses)) all[k] = (all[k] ?? 0) + v;
	}
	return all;
}

export interface LedgerCheck {
	acknowledged: number;
	stored: number;
	lost: number;
	doubled: number;
	unknown: number;
	balanceMismatches: number;
	summaryDifferences: number;
}

/**
 * Acknowledged operations missing from the database (lost), stored more than once (doubled),
 * stored but never produced (unknown); balances against the ledger; day summaries against the
 * ledger (the logic of npm run verify:summaries).
 */
export async function checkLedger(url: string, acknowledged: Set<string>): Promise<LedgerCheck> {
	const sql = postgres(url, { max: 1, onnotice: () => {}, target_session_attrs: 'primary' });
	try {
		const rows = await sql<{ id: string; n: number }[]>`
			select id::text as id, count(*)::int as n from operations group by id`;
		const stored = new Map(rows.map((r) => [r.id, r.n]));
		let lost = 0;
		for (const id of acknowledged) if (!stored.has(id)) lost++;
		let doubled = 0;
		let unknown = 0;
		for (const [id, n] of stored) {
			if (n > 1) doubled += n - 1;
			if (!acknowledged.has(id)) unknown++;
		}
		const balances = await sql<{ n: number }[]>`
			with ledger as (
				select customer_id, sum(cashback_kopecks - redeemed_kopecks) as total
				from operations group by customer_id)
			select count(*)::int as n
			from ledger l full join customer_balances b using (customer_id)
			where coalesce(l.total, 0) <> coalesce(b.balance_kopecks, 0)`;
		const handle = await openDatabase({ databaseUrl: url, dataDir: '' });
		let summaryDifferences: number;
		try {
			summaryDifferences = (await verifySummaries(handle.db)).length;
		} finally {
			await handle.close();
		}
		return {
			acknowledged: acknowledged.size,
			stored: rows.reduce((n, r) => n + r.n, 0),
			lost,
			doubled,
			unknown,
			balanceMismatches: balances[0]!.n,
			summaryDifferences
		};
	} finally {
		await sql.end();
	}
}
