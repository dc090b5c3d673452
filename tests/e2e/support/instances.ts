import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A port the OS says is free now (loopback). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

export interface Instance {
	port: number;
	/** What the process wrote so far (stdout and stderr). */
	log(): string;
	stop(): Promise<void>;
}

/**
 * One more Kopek process from the build under test (KOPEK_BUILD_DIR), on `databaseUrl`, or on
 * an embedded database of its own in a temporary directory when that is null.
 */
export async function startInstance(
	databaseUrl: string | null,
	extraEnv: Record<string, string> = {}
): Promise<Instance> {
	const port = await freePort();
	const database = databaseUrl
		? { DATABASE_URL: databaseUrl }
		: { KOPEK_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'kopek-instance-')) };
	const env: NodeJS.ProcessEnv = { ...process.env };
	delete env.DATABASE_URL;
	delete env.KOPEK_DATA_DIR;
	const child: ChildProcess = spawn('node', ['scripts/start.js'], {
		env: {
			...env,
			...database,
			...extraEnv,
			PORT: String(port),
			HOST: '127.0.0.1',
			NODE_ENV: 'production',
			// a fixed key for throwaway test databases only (production on Postgres requires one)
			KOPEK_SECRET_KEY:
				process.env.KOPEK_SECRET_KEY ?? 'a29wZWstdGVzdC1rZXktbmV2ZXItcHJvZHVjdGlvbiE=',
			KOPEK_DEMO: '0'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let log = '';
	child.stdout!.on('data', (d) => (log += d));
	child.stderr!.on('data', (d) => (log += d));
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null || Date.now() > deadline) {
			child.kill('SIGTERM');
			throw new Error(`instance on ${port} did not start:\n${log}`);
		}
		try {
			if ((await fetch(`http://127.0.0.1:${port}/login`)).ok) break;
		} catch {
			/* not up yet */
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	return {
		port,
		log: () => log,
		async stop() {
			if (child.exitCode === null) {
				child.kill('SIGTERM');
				await new Promise((r) => child.once('exit', r));
			}
			if (database.KOPEK_DATA_DIR)
				fs.rmSync(database.KOPEK_DATA_DIR, { recursive: true, force: true });
		}
	};
}

export interface Proxy {
	url: string;
	/** How many requests each upstream got, in the order given. */
	served: number[];
	stop(): Promise<void>;
}

/**
 * A tiny round-robin reverse proxy (what nginx's default `upstream` does): each request goes
 * to the next upstream, Host and cookies passed as they are; the answer says which upstream
 * served it in `x-kopek-upstream`.
 */
export async function startRoundRobinProxy(ports: readonly number[]): Promise<Proxy> {
	const served = ports.map(() => 0);
	const agent = new http.Agent({ keepAlive: true });
	let next = 0;
	const server = http.createServer((req, res) => {
		const index = next++ % ports.length;
		served[index]!++;
		const upstream = http.request(
			{
				host: '127.0.0.1',
				port: ports[index],
				method: req.method,
				path: req.url,
				headers: req.headers,
				agent
			},
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, {
					...answer.headers,
					'x-kopek-upstream': String(index)
				});
				answer.pipe(res);
			}
		);
		upstream.on('error', () => {
			res.writeHead(502).end();
		});
		req.pipe(upstream);
	});
	const port = await new Promise<number>((resolve) =>
		server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port))
	);
	return {
		url: `http://127.0.0.1:${port}`,
		served,
		async stop() {
			server.closeAllConnections();
			await new Promise((r) => server.close(r));
			agent.destroy();
		}
	};
}
