import type { Kysely } from 'kysely';
import type { Config } from '../config';
import { getSecretKey } from '../crypto/keys';
import type { Database } from '../db/types';
import { logger } from '../observability/logger';
import { observeWebhookQueue } from '../observability/webhook-metrics';
import { startWebhookWorker } from './webhook-worker';

/** The process's webhook delivery worker (unless KOPEK_WEBHOOKS_WORKER=0) and queue gauges. */
export function startWebhooks(started: { db: Kysely<Database>; config: Config }): void {
	observeWebhookQueue(started.db);
	if (!started.config.KOPEK_WEBHOOKS_WORKER) return;
	const worker = startWebhookWorker(started.db, {
		key: getSecretKey(),
		allowPrivate: started.config.KOPEK_WEBHOOKS_ALLOW_PRIVATE,
		log: logger
	});
	process.once('sveltekit:shutdown', () => void worker.stop());
}
