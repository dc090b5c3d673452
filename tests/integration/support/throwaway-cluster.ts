import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Whether this machine can start a throwaway cluster (initdb present; as root: a postgres user). */
export function canStartCluster(): boolean {
	if (!existsSync(path.join(BIN, 'initdb'))) return false;
	if (process.getuid?.() !== 0) return true;
	return spawnSync('id', ['-u', 'postgres']).status === 0;
}

/** A TCP port nobody listens on now. */
export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as net.AddressInfo;
			probe.close(() => resolve(port));
		});
	});
}

/**
 * A Postgres cluster of its own in a temp dir on a free port (never the machine's shared
 * server), for tests that stop and restart the database. As root, initdb and pg_ctl run as
 * the `postgres` user (Postgres refuses root) on a directory owned by it.
 */
export class ThrowawayCluster {
	readonly dir: string;
	readonly port: number;

	private constructor(dir: string, port: number) {
		this.dir = dir;
		this.port = port;
	}

	static async create(): Promise<ThrowawayCluster> {
		const dir = mkdtempSync(path.join(tmpdir(), 'kopek-fault-pg-'));
		const cluster = new ThrowawayCluster(dir, await freePort());
		if (process.getuid?.() === 0) {
			const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
			const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
			chownSync(dir, uid, gid);
		}
		cluster.run('initdb', ['-D', cluster.data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
		cluster.start();
		return cluster;
	}

	get data(): string {
		return path.join(this.dir, 'data');
	}

	get url(): string {
		return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
	}

	private run(tool: string, args: string[]): string {
		const command = path.join(BIN, tool);
		const asRoot = process.getuid?.() === 0;
		const result = asRoot
			? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' })
			: spawnSync(command, args, { encoding: 'utf8' });
		if (result.status !== 0) {
			throw new Error(`${tool} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
		}
		return result.stdout;
	}

	private ctl(action: string, extra: string[] = []) {
		const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
		this.run('pg_ctl', [action, '-D', this.data, '-w', '-t', '60', '-o', options, ...extra]);
	}

	start() {
		this.ctl('start', ['-l', path.join(this.dir, 'log')]);
	}

	/** A fast restart: every connection is terminated, like `pg_ctlcluster … restart`. */
	restart() {
		this.ctl('restart', ['-m', 'fast', '-l', path.join(this.dir, 'log')]);
	}

	stop() {
		this.run('pg_ctl', ['stop', '-D', this.data, '-w', '-t', '60', '-m', 'fast']);
	}

	/** Stops the server if it runs and removes its directory. */
	destroy() {
		try {
			this.stop();
		} catch {
			/* already stopped */
		}
		rmSync(this.dir, { recursive: true, force: true });
	}
}
