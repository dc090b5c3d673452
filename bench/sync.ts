/**
 * bench:sync — D simulated terminals push N payments each through the real HTTP endpoint
 * (`payments.sync` of the production build, batches of 200, terminals in parallel), then the
 * same number of rows goes in by raw batched INSERT … ON CONFLICT with D connections, in the
 * same run on the same database. Prints ops/s of both and their ratio (goal ≥ 0.5).
 *
 *   DATABASE_URL=postgres://… BENCH_DEVICES=8 BENCH_OPS=2000 npm run bench:sync
 */
import { openDatabase } from '../server/db/index';
import { migrateToLatest } from '../server/db/migrate';
import { createBenchDatabase, printResult, startApp } from './support/app';
import {
	chunks,
	connectRaw,
	makeOperations,
	expectAllAccepted,
	postSync,
	syncBody,
	rawInsert,
	rawRows
} from './support/operations';
import { createWorld } from './support/world';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 8);
const OPS_PER_DEVICE = Number(process.env.BENCH_OPS ?? 2000);
const BATCH = 200;
const PORT = Number(process.env.BENCH_PORT ?? 3211);

const database = await createBenchDatabase('sync');
const handle = await openDatabase({ databaseUrl: database.url, dataDir: '' });
let app: Awaited<ReturnType<typeof startApp>> | undefined;
try {
	await migrateToLatest(handle.db);
	const world = await createWorld(handle.db, { devices: DEVICES, customers: 5000 });
	app = await startApp(database.url, { port: PORT });
	const baseUrl = app.baseUrl;
	const total = DEVICES * OPS_PER_DEVICE;
	console.log(
		`bench:sync — ${DEVICES} terminals × ${OPS_PER_DEVICE} operations = ${total}, batches of ${BATCH}`
	);

	// Warm-up (not timed): one batch per terminal, so both sides start with warm caches.
	await Promise.all(
		world.devices.map(async (d) =>
			expectAllAccepted(
				await postSync(baseUrl, d.cookie, syncBody(d.deviceId, makeOperations(world, BATCH))),
				BATCH
			)
		)
	);
	const raw = connectRaw(database.url, DEVICES);
	await rawInsert(raw, rawRows(world, world.devices[0]!, makeOperations(world, BATCH)));

	// Request bodies are made before the timing (a terminal has them ready); answers are
	// checked after it: the timed window holds the server's work only, like the raw side's.
	const perDevice = world.devices.map((d) => ({
		...d,
		bodies: chunks(makeOperations(world, OPS_PER_DEVICE), BATCH).map((batch) => ({
			body: syncBody(d.deviceId, batch),
			count: batch.length
		}))
	}));
	const answers: { text: string; count: number }[] = [];
	const cpuBefore = app.cpuSeconds();
	let started = performance.now();
	await Promise.all(
		perDevice.map(async (d) => {
			for (const { body, count } of d.bodies) {
				answers.push({ text: await postSync(baseUrl, d.cookie, body), count });
			}
		})
	);
	const projectSeconds = (performance.now() - started) / 1000;
	const cpuAfter = app.cpuSeconds();
	for (const answer of answers) expectAllAccepted(answer.text, answer.count);
	const serverCpu = cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null;

	const rawBatches = world.devices.map((d) =>
		chunks(rawRows(world, d, makeOperations(world, OPS_PER_DEVICE)), BATCH)
	);
	started = performance.now();
	await Promise.all(
		rawBatches.map(async (batches) => {
			for (const rows of batches) await rawInsert(raw, rows);
		})
	);
	const rawSeconds = (performance.now() - started) / 1000;
	await raw.end();

	const stored = await handle.db
		.selectFrom('operations')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	const expected = 2 * total + (DEVICES + 1) * BATCH;
	if (Number(stored.n) !== expected)
		throw new Error(`expected ${expected} rows, found ${stored.n}`);

	const projectRate = total / projectSeconds;
	const rawRate = total / rawSeconds;
	console.log(
		`payments.sync over HTTP: ${total} ops in ${projectSeconds.toFixed(2)} s = ${projectRate.toFixed(0)} ops/s`
	);
	if (serverCpu !== null) {
		const perOp = ((serverCpu / total) * 1e6).toFixed(0);
		console.log(`  server process CPU: ${serverCpu.toFixed(2)} s (${perOp} µs per operation)`);
	}
	console.log(
		`raw INSERT … ON CONFLICT: ${total} ops in ${rawSeconds.toFixed(2)} s = ${rawRate.toFixed(0)} ops/s`
	);
	console.log(`ratio ${(projectRate / rawRate).toFixed(2)} (goal ≥ 0.5)`);
	printResult('sync', projectRate, rawRate, 'ops/s');
} finally {
	await app?.stop();
	await handle.close();
	await database.drop();
}
