import { timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * Kopek's Prometheus metrics (one registry per process; each instance of a fleet is scraped
 * on its own): HTTP latency by route, the outcomes of `payments.sync` by kind, the size of
 * sync batches and of the groups they are stored in, and the database failures the request guard met.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'kopek_' });

export const httpDuration = new Histogram({
	name: 'kopek_http_request_duration_seconds',
	help: 'Time to answer an HTTP request, by route (tRPC: by procedure), method and status',
	labelNames: ['route', 'method', 'status'] as const,
	buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
	registers: [registry]
});

export const syncOutcomes = new Counter({
	name: 'kopek_sync_operations_total',
	help: 'Operations answered by payments.sync, by outcome',
	labelNames: ['outcome'] as const,
	registers: [registry]
});

export const syncBatchSize = new Histogram({
	name: 'kopek_sync_batch_size',
	help: 'Operations per payments.sync call',
	buckets: [1, 2, 5, 10, 25, 50, 100, 200],
	registers: [registry]
});

export const syncGroupSize = new Histogram({
	name: 'kopek_sync_group_calls',
	help: 'payments.sync calls stored in one transaction (services/sync-coalescer.ts)',
	buckets: [1, 2, 4, 8, 16, 32],
	registers: [registry]
});

export const syncGroupFallbacks = new Counter({
	name: 'kopek_sync_group_fallbacks_total',
	help: 'Groups of sync calls whose transaction failed, so each call ran alone',
	registers: [registry]
});

export const databaseErrors = new Counter({
	name: 'kopek_database_errors_total',
	help: 'Requests answered 503 because the database was unreachable or too slow, by reason',
	labelNames: ['reason'] as const,
	registers: [registry]
});

/** Counts one sync call (its batch size and each operation's outcome); returns its answer. */
export function recordSync<T extends readonly { outcome: string }[]>(outcomes: T): T {
	syncBatchSize.observe(outcomes.length);
	for (const o of outcomes) syncOutcomes.inc({ outcome: o.outcome });
	return outcomes;
}

/**
 * GET /metrics. With KOPEK_METRICS_TOKEN set, only `Authorization: Bearer <token>` is
 * served (401 otherwise); without it the metrics are open (a private network, say).
 */
export async function metricsResponse(
	request: Request,
	token = process.env.KOPEK_METRICS_TOKEN
): Promise<Response> {
	if (token) {
		const given = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
		const a = Buffer.from(given);
		const b = Buffer.from(token);
		if (a.length !== b.length || !timingSafeEqual(a, b)) {
			return new Response('Unauthorized', {
				status: 401,
				headers: { 'www-authenticate': 'Bearer', 'cache-control': 'no-store' }
			});
		}
	}
	return new Response(await registry.metrics(), {
		headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' }
	});
}
