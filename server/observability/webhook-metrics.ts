import type { Kysely } from 'kysely';
import { Counter, Gauge } from 'prom-client';
import type { Database } from '../db/types';
import { queueStats } from '../repositories/webhook-outbox';
import { registry } from './metrics';

/** Webhook attempts by outcome: delivered, retry (failed, will retry), failed (for good). */
export const webhookDeliveries = new Counter({
	name: 'kopek_webhook_deliveries_total',
	help: 'Webhook delivery attempts, by outcome (delivered, retry, failed)',
	labelNames: ['outcome'] as const,
	registers: [registry]
});

let statsDb: Kysely<Database> | undefined;

/** The queue gauges read the database at scrape time; call once with the process's database. */
export function observeWebhookQueue(db: Kysely<Database>): void {
	statsDb = db;
}

async function stats() {
	if (!statsDb) return { depth: 0, oldestSeconds: 0 };
	try {
		return await queueStats(statsDb);
	} catch {
		return { depth: 0, oldestSeconds: 0 };
	}
}

new Gauge({
	name: 'kopek_webhook_queue_depth',
	help: 'Webhook deliveries waiting (pending, enabled endpoints)',
	registers: [registry],
	async collect() {
		this.set((await stats()).depth);
	}
});

new Gauge({
	name: 'kopek_webhook_oldest_undelivered_seconds',
	help: 'Age of the oldest webhook delivery still waiting',
	registers: [registry],
	async collect() {
		this.set((await stats()).oldestSeconds);
	}
});
