import { sql } from 'kysely';
import { getServices } from '../app';
import { pendingMigrations } from '../db/migrate';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
	new Response(JSON.stringify(body), {
		status,
		headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }
	});

/** How long the readiness probe waits for the database before calling it unreachable. */
const READY_TIMEOUT_MS = 3000;

/** `GET /healthz`: the process is alive and serving (never touches the database). */
export function healthz(): Response {
	return json(200, { status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
}

/**
 * `GET /readyz`: the database answers and every migration of this build is applied; 503
 * otherwise (a load balancer sends no traffic here until it is 200 again).
 */
export async function readyz(): Promise<Response> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(
			() => reject(new Error('database did not answer in time')),
			READY_TIMEOUT_MS
		);
	});
	try {
		const check = (async () => {
			const { db, kind } = await getServices();
			await sql`select 1`.execute(db);
			return { kind, pending: await pendingMigrations(db) };
		})();
		check.catch(() => {});
		const { kind, pending } = await Promise.race([check, timeout]);
		if (pending.length > 0) {
			return json(503, { status: 'migrations_pending', pending }, { 'retry-after': '5' });
		}
		return json(200, { status: 'ready', database: kind });
	} catch {
		return json(503, { status: 'database_unreachable' }, { 'retry-after': '5' });
	} finally {
		clearTimeout(timer);
	}
}
