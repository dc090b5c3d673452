/**
 * bench:sync-postgres — what one sync costs Postgres: CPU of the database backends per call
 * (read from /proc, so Postgres must run on this host), one call at a time, for Kopek's
 * syncPayments of 5 operations, its parts (session check, the batch's opening statement), and
 * the raw handler's transaction (session lookup and the same INSERT … ON CONFLICT, as
 * bench/support/raw-sync.ts). bench:fleet shows the same per call under load; this
 * one shows where it goes. A statement planned badly (a sequential scan of every customer)
 * shows here first.
 *
 *   BENCH_CALLS=2000 BENCH_CUSTOMERS=200000 npm run bench:sync-postgres
 */
import { sql } from 'kysely';
import { sessionIdFromToken, validateSessionToken } from '../server/auth/session';
import { openDatabase } from '../server/db/index';
import { migrateToLatest } from '../server/db/migrate';
import { openSyncBatch } from '../server/repositories/sync-batch';
import { syncPayments } from '../server/services/payment-sync';
import {
	backendCpuDelta,
	backendCpuSeconds,
	createBenchDatabase,
	printResult
} from './support/app';
import { connectRaw, makeOperations } from './support/operations';
import { rawSync } from './support/raw-sync';
import { createWorld } from './support/world';

const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 20_000);

const database = await createBenchDatabase('syncpg');
const handle = await openDatabase({ databaseUrl: database.url, dataDir: '', maxConnections: 1 });
const probe = await openDatabase({ databaseUrl: database.url, dataDir: '', maxConnections: 1 });
const raw = connectRaw(database.url, 1);
try {
	await migrateToLatest(handle.db);
	const world = await createWorld(handle.db, { devices: 20, customers: CUSTOMERS });
	await sql`analyze`.execute(handle.db);
	const device = (i: number) => world.devices[i % world.devices.length]!;

	/** Backend CPU ms per call of `work`, after 200 calls of warm-up. */
	async function measure(label: string, work: (i: number) => Promise<unknown>) {
		for (let i = 0; i < 200; i++) await work(i);
		const before = await backendCpuSeconds(probe.db);
		const started = performance.now();
		for (let i = 0; i < CALLS; i++) await work(i);
		const wall = (performance.now() - started) / CALLS;
		const cpu = backendCpuDelta(before, await backendCpuSeconds(probe.db));
		if (cpu === null) throw new Error('Postgres is not on this host: its CPU cannot be read');
		const ms = (cpu * 1000) / CALLS;
		console.log(
			`${label.padEnd(34)} Postgres CPU ${ms.toFixed(3)} ms/call, wall ${wall.toFixed(3)} ms/call`
		);
		return ms;
	}

	console.log(
		`bench:sync-postgres — ${CALLS} calls each, one at a time; ${CUSTOMERS} customers, 5 operations a call`
	);
	const token = world.devices[0]!.cookie.split('=')[1]!;
	await measure('session check', () => validateSessionToken(handle.db, token));
	await measure('the batch opening (openSyncBatch)', (i) => {
		const ops = makeOperations(world, 5);
		return handle.db.transaction().execute((trx) =>
			openSyncBatch(trx, {
				calls: [
					{
						companyId: world.companyId,
						deviceId: device(i).deviceId,
						customerIds: ops.map((o) => o.customerId),
						times: ops.map((o) => new Date(o.occurredAt))
					}
				],
				now: new Date()
			})
		);
	});
	const project = await measure('Kopek: session check + sync of 5', async (i) => {
		await validateSessionToken(handle.db, token);
		return syncPayments(handle.db, {
			companyId: world.companyId,
			deviceId: device(i).deviceId,
			createdBy: device(i).userId,
			operations: makeOperations(world, 5)
		});
	});
	const sessionId = sessionIdFromToken(token);
	const reference = await measure('raw: session lookup + INSERT', (i) =>
		rawSync(raw, {
			sessionId,
			companyId: world.companyId,
			deviceId: device(i).deviceId,
			rateBp: world.rateBp,
			operations: makeOperations(world, 5)
		})
	);
	// Lower is better here: the JSON line's ratio is raw / Kopek, as for speed elsewhere.
	printResult('sync-postgres', 1 / project, 1 / reference, 'calls per Postgres CPU ms');
} finally {
	await raw.end();
	await handle.close();
	await probe.close();
	await database.drop();
}
