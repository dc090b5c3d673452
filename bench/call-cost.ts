/**
 * Where a sync call's server CPU goes, by layers: 1 500 requests each (20 in flight, after 100
 * of warm-up) of four kinds against the production build, with the server process's CPU per
 * request — a 404 through SvelteKit, payments.sync refused as anonymous (SvelteKit + tRPC, no
 * database), auth.me with a session (+ the session lookup), payments.sync of 5 operations.
 *
 *   BENCH_PORT=3213 npx tsx bench/call-cost.ts
 */
import http from 'node:http';
import { openDatabase } from '../server/db/index';
import { migrateToLatest } from '../server/db/migrate';
import { createBenchDatabase, startApp } from './support/app';
import { createWorld } from './support/world';
import { makeOperations, syncBody } from './support/operations';
const PORT = Number(process.env.BENCH_PORT ?? 3213);
const database = await createBenchDatabase('callcost');
const handle = await openDatabase({ databaseUrl: database.url, dataDir: '' });
await migrateToLatest(handle.db);
const world = await createWorld(handle.db, { devices: 20, customers: 100 });
const app = await startApp(database.url, { port: PORT });
const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
function req(path: string, method: string, body: string | null, cookie: string) {
	return new Promise<number>((res, rej) => {
		const r = http.request(
			{
				host: '127.0.0.1',
				port: PORT,
				path,
				method,
				agent,
				headers: {
					'content-type': 'application/json',
					cookie,
					origin: `http://127.0.0.1:${PORT}`,
					...(body ? { 'content-length': Buffer.byteLength(body) } : {})
				}
			},
			(s) => {
				s.resume();
				s.on('end', () => res(s.statusCode!));
			}
		);
		r.on('error', rej);
		r.end(body ?? undefined);
	});
}
async function probe(label: string, make: (i: number) => [string, string, string | null, string]) {
	const N = 1500;
	let i = 0;
	for (let w = 0; w < 100; w++) await req(...make(w));
	const c0 = app.cpuSeconds()!;
	const t0 = performance.now();
	let status = 0;
	await Promise.all(
		Array.from({ length: 20 }, async () => {
			while (i < N) {
				const k = i++;
				status = await req(...make(k));
			}
		})
	);
	console.log(
		`${label.padEnd(40)} ${(((app.cpuSeconds()! - c0) * 1000) / N).toFixed(2)} ms CPU/req, ${(N / ((performance.now() - t0) / 1000)).toFixed(0)} req/s, status ${status}`
	);
}
const dev = (k: number) => world.devices[k % 20]!;
await probe('GET an unknown path (404 page)', () => ['/api/nothing', 'GET', null, '']);
await probe('sync anonymous (401)', (k) => [
	'/api/trpc/payments.sync',
	'POST',
	syncBody(dev(k).deviceId, makeOperations(world, 5)),
	''
]);
await probe('auth.me with session', (k) => ['/api/trpc/auth.me', 'GET', null, dev(k).cookie]);
await probe('sync with session, 5 ops', (k) => [
	'/api/trpc/payments.sync',
	'POST',
	syncBody(dev(k).deviceId, makeOperations(world, 5)),
	dev(k).cookie
]);
await app.stop();
await handle.close();
await database.drop();
