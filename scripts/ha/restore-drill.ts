/**
 * The restore drill (issue 23; docs/DEPLOY.md, "The monthly restore drill"): on a local Patroni
 * cluster (scripts/ha/cluster.sh) that archives its WAL with pgBackRest, a full backup, then
 * syncing counters, a chosen moment, more syncing; then a point-in-time restore of the backup
 * plus the archived WAL up to that moment into a fresh data directory, started as a Postgres
 * of its own. It must hold every operation acknowledged before the moment and none after, and
 * its balances and day summaries must equal its ledger. Prints backup and restore figures.
 *
 *   npx tsx scripts/ha/restore-drill.ts        # HA_BASE_PORT (25400), HA_APP_PORT (25481)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import {
	acknowledgedCount,
	checkLedger,
	cluster,
	createDatabase,
	databaseUrl,
	onTeardown,
	sleep,
	timeLimit,
	waitFor,
	type Counter,
	startFleet,
	startKopekWithShop
} from './support';

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const BASE = Number(process.env.HA_BASE_PORT ?? 25400);
const APP_PORT = Number(process.env.HA_APP_PORT ?? 25481);
const RESTORE_PORT = BASE + 90;
const CLIENTS = 6;
timeLimit(240);

const dir = mkdtempSync(path.join(tmpdir(), 'kopek-drill-'));
const backup = path.join(dir, 'pgbackrest');
const restored = path.join(dir, 'restored');
const config = path.join(backup, 'pgbackrest.conf');
const t0 = Date.now();
const log = (text: string) =>
	console.log(`[drill +${((Date.now() - t0) / 1000).toFixed(1)}s] ${text}`);

/** A command as the postgres user (Postgres and pgBackRest refuse root); throws on failure. */
function asPostgres(command: string[], what = command.join(' ')): string {
	const argv = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', ...command] : command;
	const result = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 120_000 });
	if (result.status !== 0) throw new Error(`${what} failed:\n${result.stdout}${result.stderr}`);
	return result.stdout;
}
const pgbackrest = (...args: string[]) =>
	asPostgres(['pgbackrest', `--config=${config}`, '--stanza=kopek', ...args]);

// The repository, logs and this configuration live in the cluster's directory (cluster.sh
// makes it the postgres user's); every node archives into the same repository.
mkdirSync(backup, { recursive: true });
const nodes = [1, 2]
	.map(
		(n) =>
			`pg${n}-path=${dir}/node${n}/data\npg${n}-port=${BASE + 10 + n}\npg${n}-socket-path=${dir}/node${n}\npg${n}-user=postgres`
	)
	.join('\n');
writeFileSync(
	config,
	`[global]\nrepo1-path=${backup}/repo\nrepo1-retention-full=2\nstart-fast=y\n` +
		`log-path=${backup}/log\nlock-path=${backup}/lock\nspool-path=${backup}/spool\n` +
		`log-level-console=warn\nlog-level-file=info\narchive-timeout=60\n\n[kopek]\n${nodes}\n`
);
const env = {
	HA_SYNC: '1',
	HA_ARCHIVE_COMMAND: `pgbackrest --config=${config} --stanza=kopek archive-push %p`
};
onTeardown(() => {
	spawnSync(
		'runuser',
		['-u', 'postgres', '--', `${PG_BIN}/pg_ctl`, '-D', restored, 'stop', '-m', 'immediate'],
		{
			stdio: 'ignore'
		}
	);
	cluster(['down', dir], env);
});

cluster(['up', dir], env);
pgbackrest('stanza-create');
pgbackrest('check');
log('cluster up with WAL archiving into pgBackRest; stanza created and checked');
await createDatabase(dir, 'kopek');
const url = databaseUrl(dir, 'kopek');
const { server, token, deviceIds } = await startKopekWithShop(url, APP_PORT, CLIENTS);

/** Counters syncing for `seconds`, then drained: every operation they made is acknowledged. */
async function syncFor(seconds: number): Promise<Counter[]> {
	const fleet = startFleet({
		url: server.url,
		token,
		deviceIds,
		deadline: Date.now() + 90_000,
		batch: 5
	});
	await sleep(seconds * 1000);
	return fleet.stop();
}
const ids = (counters: Counter[]) => counters.flatMap((c) => [...c.acknowledged.keys()]);

const beforeBackup = await syncFor(3);
let started = Date.now();
pgbackrest('backup', '--type=full');
const backupSeconds = (Date.now() - started) / 1000;
const info = JSON.parse(pgbackrest('info', '--output=json'))[0].backup.at(-1);
log(
	`full backup in ${backupSeconds.toFixed(1)} s (${(info.info.size / 1e6).toFixed(1)} MB, ${(info.info.repository.delta / 1e6).toFixed(1)} MB in the repository)`
);

const afterBackup = await syncFor(4);
const admin = postgres(url, { max: 1, onnotice: () => {}, target_session_attrs: 'primary' });
await sleep(1000);
const [row] = await admin<
	{ moment: string }[]
>`select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00' as moment`;
const moment = row!.moment;
await sleep(1000);
log(
	`the chosen moment: ${moment}; ${acknowledgedCount(beforeBackup) + acknowledgedCount(afterBackup)} operations acknowledged before it`
);
const afterMoment = await syncFor(3);
log(`${acknowledgedCount(afterMoment)} operations acknowledged after it`);
pgbackrest('check'); // switches the WAL segment and waits until it is archived
await admin.end();
server.child.kill('SIGTERM');

started = Date.now();
mkdirSync(restored, { recursive: true });
asPostgres(['true']);
spawnSync('chown', ['postgres:postgres', restored]);
spawnSync('chmod', ['700', restored]);
pgbackrest(
	'restore',
	`--pg1-path=${restored}`,
	'--type=time',
	`--target=${moment}`,
	'--target-action=promote'
);
// Patroni's configuration names node1's files and ports; the restored copy gets its own.
asPostgres([
	`${PG_BIN}/pg_ctl`,
	'-D',
	restored,
	'-w',
	'-t',
	'120',
	'-l',
	`${dir}/restored.log`,
	'-o',
	`-c port=${RESTORE_PORT} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} ` +
		`-c hba_file=${restored}/pg_hba.conf -c ident_file=${restored}/pg_ident.conf -c archive_mode=off`,
	'start'
]);
const restoredUrl = `postgres://postgres:postgres@127.0.0.1:${RESTORE_PORT}/kopek`;
const probe = postgres(restoredUrl, { max: 1, onnotice: () => {} });
await waitFor(
	'the restored Postgres to finish recovery',
	async () => !(await probe`select pg_is_in_recovery() as r`)[0]!.r,
	120_000
);
await probe.end();
const restoreSeconds = (Date.now() - started) / 1000;

const before = new Set([...ids(beforeBackup), ...ids(afterBackup)]);
const after = new Set(ids(afterMoment));
const check = await checkLedger(restoredUrl, before);
const leaked = check.unknown; // stored but not acknowledged before the moment: from after it
const figures = {
	acknowledgedBefore: before.size,
	acknowledgedAfter: after.size,
	...check,
	backupSeconds,
	restoreSeconds,
	backupMB: Math.round(info.info.size / 1e5) / 10
};
console.log(`[drill] ${JSON.stringify(figures)}`);
const problems = [
	check.lost && `${check.lost} operation(s) acknowledged before the moment missing`,
	leaked && `${leaked} operation(s) from after the moment restored`,
	check.doubled && `${check.doubled} doubled`,
	check.balanceMismatches && `${check.balanceMismatches} balance(s) differ from the ledger`,
	check.summaryDifferences && `${check.summaryDifferences} summary difference(s)`
].filter(Boolean);
if (problems.length) {
	console.error(`[drill] FAILED: ${problems.join('; ')}`);
	process.exitCode = 1;
} else {
	log(
		`passed: the restore holds all ${before.size} operations acknowledged before the moment and none of the ${after.size} after`
	);
}
process.exit();
