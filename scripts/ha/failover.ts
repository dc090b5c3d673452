/**
 * The failover test (issue 23): a fleet of syncing counters against Kopek on a local Patroni
 * cluster (scripts/ha/cluster.sh) whose DATABASE_URL is the multi-host, read-write URL. Mid-load
 * the primary's node is lost (its postmaster, backends and Patroni SIGKILLed); later the node
 * comes back and a `patronictl switchover` moves the primary back. Then every acknowledged
 * operation must be stored exactly once, and balances and day summaries must equal the ledger.
 * Prints the time from the kill (and from the switchover) to the first acknowledged call sent
 * after it, and the number of 503s.
 *
 *   npx tsx scripts/ha/failover.ts               # synchronous_mode on: fails on any loss
 *   HA_SYNC=0 npx tsx scripts/ha/failover.ts     # asynchronous: reports what it loses
 *
 * HA_STRICT=1 also fails on answers 500/401 (postgres.js once gave queries each other's answers
 * here; fixed by the guard in scripts/patch-postgres.js, see docs/DEPLOY.md, Known issues).
 * HA_CLIENTS (12), HA_BATCH (5), HA_LAG_MS (1500: the primary's WAL sender stopped before the kill), HA_BASE_PORT (25400), HA_APP_PORT (25480). Bounded: 240 s.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
	acknowledgedCount,
	checkLedger,
	cluster,
	clusterAsync,
	createDatabase,
	databaseUrl,
	firstAckSentAfter,
	onTeardown,
	sleep,
	statusTotals,
	timeLimit,
	waitFor,
	walSenderPid,
	startFleet,
	startKopekWithShop
} from './support';

const SYNC = process.env.HA_SYNC !== '0';
const CLIENTS = Number(process.env.HA_CLIENTS ?? 12);
const BATCH = Number(process.env.HA_BATCH ?? 5);
const APP_PORT = Number(process.env.HA_APP_PORT ?? 25480);
const LAG_MS = Number(process.env.HA_LAG_MS ?? 1500);
const STRICT = process.env.HA_STRICT === '1';
const env = { HA_SYNC: SYNC ? '1' : '0' };
timeLimit(240);

const dir = mkdtempSync(path.join(tmpdir(), 'kopek-ha-'));
onTeardown(() => cluster(['down', dir], env));
const t0 = Date.now();
const log = (text: string) =>
	console.log(`[failover +${((Date.now() - t0) / 1000).toFixed(1)}s] ${text}`);

cluster(['up', dir], env);
log(
	`cluster up (synchronous_mode ${SYNC ? 'on' : 'off'}), primary node${cluster(['leader', dir])}`
);
await createDatabase(dir, 'kopek');
const url = databaseUrl(dir, 'kopek');
const { server, token, deviceIds } = await startKopekWithShop(url, APP_PORT, CLIENTS);
log(`Kopek up on ${url.replace(/\/\/[^@]*@/, '//')}, ${CLIENTS} counters`);

const fleet = startFleet({
	url: server.url,
	token,
	deviceIds,
	deadline: Date.now() + 200_000,
	batch: BATCH
});
const { counters } = fleet;
const acked = () => acknowledgedCount(counters);
/** The longest time without any acknowledged call between `from` and the first one after `to`. */
function longestPause(from: number, to: number): number {
	const answered = counters
		.flatMap((c) => c.acks.map(([, at]) => at))
		.filter((at) => at >= from)
		.sort((a, b) => a - b);
	let longest = 0;
	let previous = from;
	for (const at of answered) {
		longest = Math.max(longest, at - previous);
		previous = at;
		if (at > to) break;
	}
	return longest / 1000;
}

/** At least `n` more acknowledged operations and at least `seconds` of load. */
const more = async (what: string, n: number, seconds = 5) => {
	const from = acked();
	const until = Date.now() + seconds * 1000;
	await waitFor(what, () => acked() >= from + n && Date.now() >= until, 60_000);
};

await more('syncs before the kill', 300);
const lost = await clusterAsync(['leader', dir]);
// The replica a little behind when the primary dies (a slow link, a lost packet): the
// primary's WAL sender is stopped (SIGSTOP) LAG_MS before the kill. Synchronous commits wait
// for the replica meanwhile and are not acknowledged; asynchronous ones are acknowledged and
// never reach the replica.
const sender = LAG_MS > 0 ? walSenderPid(dir, lost) : null;
if (sender) {
	process.kill(sender, 'SIGSTOP');
	await sleep(LAG_MS);
}
const ackedAtKill = acked();
const killedAt = Date.now();
await clusterAsync(['kill', dir, lost]);
log(
	`SIGKILLed node${lost} (postmaster, backends, Patroni) with ${ackedAtKill} operations acknowledged; ` +
		`its WAL sender ${sender ? `stopped ${LAG_MS} ms before` : 'not stopped'}`
);
await waitFor(
	'an acknowledged call after the kill',
	() => firstAckSentAfter(counters, killedAt) !== null,
	90_000
);
const killToAck = (firstAckSentAfter(counters, killedAt)! - killedAt) / 1000;
// From the stopped WAL sender (synchronous commits stall there) to the first ack after the kill.
const killPause = longestPause(killedAt - LAG_MS, firstAckSentAfter(counters, killedAt)!);
log(
	`first acknowledged call sent after the kill: ${killToAck.toFixed(1)} s; primary node${await clusterAsync(['leader', dir])}`
);
await more('syncs after the failover', 300);

await clusterAsync(['start', dir, lost]);
const standby = SYNC ? 'Sync Standby' : 'Replica';
await waitFor(
	`node${lost} back as a ${standby}`,
	async () =>
		new RegExp(`node${lost}\\s*\\|[^|]*\\|\\s*${standby}\\s*\\|\\s*(running|streaming)`).test(
			await clusterAsync(['ctl', dir, 'list'])
		),
	90_000
);
log(`node${lost} rejoined as a ${standby}`);
await more('syncs before the switchover', 200);
const leader = await clusterAsync(['leader', dir]);
const switchedAt = Date.now();
await clusterAsync([
	'ctl',
	dir,
	'switchover',
	'--leader',
	`node${leader}`,
	'--candidate',
	`node${lost}`,
	'--force'
]);
const switchedDone = Date.now();
await waitFor(
	'an acknowledged call after the switchover',
	() => firstAckSentAfter(counters, switchedDone) !== null,
	90_000
);
// The old primary keeps acknowledging until it shuts down: the cost of a switchover is the
// longest time without any acknowledgment, not the time to the first one.
const switchPause = longestPause(switchedAt, firstAckSentAfter(counters, switchedDone)!);
log(
	`switchover node${leader} → node${lost} (patronictl took ${((switchedDone - switchedAt) / 1000).toFixed(1)} s): ` +
		`longest time without an acknowledgment ${switchPause.toFixed(1)} s`
);
await more('syncs after the switchover', 200);
await fleet.stop();

const acknowledged = new Set(counters.flatMap((c) => [...c.acknowledged.keys()]));
const produced = counters.reduce((n, c) => n + c.produced.length, 0);
const check = await checkLedger(url, acknowledged);
const statuses = statusTotals(counters);
const serverAlive = server.child.exitCode === null;
const figures = {
	synchronous_mode: SYNC,
	produced,
	...check,
	killToFirstAckSeconds: killToAck,
	switchoverLongestPauseSeconds: switchPause,
	killLongestPauseSeconds: killPause,
	answers: statuses,
	serverAlive,
	seconds: Math.round((Date.now() - t0) / 1000)
};
console.log(`[failover] ${JSON.stringify(figures)}`);
const problems = [
	check.doubled && `${check.doubled} doubled`,
	check.unknown && `${check.unknown} stored but never acknowledged`,
	check.balanceMismatches && `${check.balanceMismatches} balance(s) differ from the ledger`,
	check.summaryDifferences && `${check.summaryDifferences} summary difference(s)`,
	STRICT && statuses['500'] && `${statuses['500']} answers 500`,
	STRICT && statuses['401'] && `${statuses['401']} answers 401`,
	statuses.missingRetryAfter && `${statuses.missingRetryAfter} 503s without Retry-After`,
	!serverAlive && 'the server died',
	SYNC && check.lost && `${check.lost} acknowledged operation(s) lost`
].filter(Boolean);
if (!SYNC)
	log(`synchronous_mode off lost ${check.lost} acknowledged operation(s) of ${check.acknowledged}`);
// Before the reserved-connection guard (docs/DEPLOY.md, "Known issues"), in about one run of
// eight postgres.js handed a query an answer that was not its own while the old primary's
// connections ended (a TypeError in its DataRow): a few calls got 500 (or 401, a session
// lookup answered empty). Any such answer is reported here, fatal with HA_STRICT=1.
const stray = (statuses['500'] ?? 0) + (statuses['401'] ?? 0);
if (stray && !STRICT) {
	console.log(
		`[failover] WARNING: ${statuses['500'] ?? 0} answers 500 and ${statuses['401'] ?? 0} answers 401 ` +
			`around the failover (HA_STRICT=1 fails on them; see docs/DEPLOY.md, Known issues):\n` +
			server
				.log()
				.split('\n')
				.filter((line) => /unexpected error|500:|^\s+at /.test(line))
				.slice(0, 12)
				.join('\n')
	);
}
if (problems.length) {
	console.error(`[failover] FAILED: ${problems.join('; ')}\n${server.log().slice(-3000)}`);
	process.exitCode = 1;
} else {
	log(
		`passed: ${check.lost} lost, 0 doubled, balances and summaries equal the ledger` +
			(SYNC ? '' : ' (synchronous_mode off: losses are reported, not failed)')
	);
}
server.child.kill('SIGTERM');
process.exit();
