/**
 * bench:drain — one terminal comes back online with 10 000 operations queued: the real outbox
 * (IndexedDB, here fake-indexeddb in Node) drained by the real sync engine through the real
 * HTTP endpoint of the production build. Then the same number of rows by raw batched
 * INSERT … ON CONFLICT on one connection, in the same run. Goal: ≤ 10 s on loopback.
 *
 *   DATABASE_URL=postgres://… BENCH_QUEUED=10000 npm run bench:drain
 */
import 'fake-indexeddb/auto';
import { createTRPCClient, httpLink } from '@trpc/client';
import superjson from 'superjson';
import { openDatabase } from '../server/db/index';
import { migrateToLatest } from '../server/db/migrate';
import type { AppRouter } from '../server/root';
import { saveIdentity } from '../src/lib/offline/identity';
import { countOutbox, enqueueOperation } from '../src/lib/offline/outbox';
import { drainCounterOutbox } from '../src/lib/offline/sync';
import { createBenchDatabase, printResult, startApp } from './support/app';
import { chunks, connectRaw, makeOperations, rawInsert, rawRows } from './support/operations';
import { createWorld } from './support/world';

const QUEUED = Number(process.env.BENCH_QUEUED ?? 10_000);
const PORT = Number(process.env.BENCH_PORT ?? 3213);

const database = await createBenchDatabase('drain');
const handle = await openDatabase({ databaseUrl: database.url, dataDir: '' });
let app: Awaited<ReturnType<typeof startApp>> | undefined;
try {
	await migrateToLatest(handle.db);
	const world = await createWorld(handle.db, { devices: 1, customers: 5000 });
	const device = world.devices[0]!;
	app = await startApp(database.url, { port: PORT });
	const baseUrl = app.baseUrl;
	console.log(`bench:drain — ${QUEUED} operations queued on one terminal`);

	// The device's state: who is signed in, and the queue it built up offline.
	await saveIdentity({
		userId: device.userId,
		email: 'cashier-0@example.test',
		role: 'company',
		locale: 'ru',
		company: {
			id: world.companyId,
			name: 'Bench',
			status: 'active',
			timeZone: 'Europe/Moscow',
			rateBp: world.rateBp
		}
	});
	for (const op of makeOperations(world, QUEUED)) {
		await enqueueOperation({
			deviceId: device.deviceId,
			companyId: world.companyId,
			customerId: op.customerId,
			customerName: null,
			amountKopecks: op.amountKopecks,
			rateBp: world.rateBp,
			occurredAt: new Date(op.occurredAt)
		});
	}

	const client = createTRPCClient<AppRouter>({
		links: [
			httpLink({
				url: `${baseUrl}/api/trpc`,
				transformer: superjson,
				headers: { cookie: device.cookie, origin: baseUrl }
			})
		]
	});
	let lastShown = 0;
	const progress = (await import('../src/lib/offline/events')).subscribe((event) => {
		if (
			event.type === 'sync-progress' &&
			event.progress &&
			event.progress.done - lastShown >= 2000
		) {
			lastShown = event.progress.done;
			console.log(`  синхронизировано ${event.progress.done} из ${event.progress.total}`);
		}
	});
	let started = performance.now();
	const result = await drainCounterOutbox((batch, { signal }) =>
		client.payments.sync.mutate(batch, { signal })
	);
	const drainSeconds = (performance.now() - started) / 1000;
	progress();
	if (result.acknowledged !== QUEUED || (await countOutbox()) !== 0) {
		throw new Error(`drain left work: ${JSON.stringify(result)}, outbox ${await countOutbox()}`);
	}

	const raw = connectRaw(database.url, 1);
	const batches = chunks(rawRows(world, device, makeOperations(world, QUEUED)), 200);
	started = performance.now();
	for (const rows of batches) await rawInsert(raw, rows);
	const rawSeconds = (performance.now() - started) / 1000;
	await raw.end();

	const stored = await handle.db
		.selectFrom('operations')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	if (Number(stored.n) !== 2 * QUEUED)
		throw new Error(`expected ${2 * QUEUED} rows, found ${stored.n}`);

	console.log(
		`drain through the engine and HTTP: ${QUEUED} ops in ${drainSeconds.toFixed(2)} s (goal ≤ 10 s)`
	);
	console.log(
		`raw INSERT … ON CONFLICT, one connection: ${QUEUED} ops in ${rawSeconds.toFixed(2)} s`
	);
	printResult('drain', drainSeconds, rawSeconds, 's');
} finally {
	await app?.stop();
	await handle.close();
	await database.drop();
}
// BroadcastChannel (the engine's cross-tab notices) keeps Node's event loop alive.
process.exit(0);
