import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { AttemptResult } from '../repositories/webhook-outbox';
import { openSecret } from '../crypto/secret-box';
import type { Database } from '../db/types';
import {
	claimDue,
	purgeOld,
	recordAttempts,
	type AttemptRecord,
	type ClaimedDelivery
} from '../repositories/webhook-outbox';
import { webhookDeliveries } from '../observability/webhook-metrics';
import { postWebhook } from './webhook-http';
import { messageId, secretBytes, signedHeaders } from './webhook-signing';
import { endpointOwner } from './webhook-endpoints';
import { onWebhookEventsCommitted } from './webhook-signal';

/** Waits after the first attempt fails, then after each retry (SPEC C14): about three days. */
export const RETRY_SCHEDULE_SECONDS = [
	5,
	5 * 60,
	30 * 60,
	2 * 3600,
	5 * 3600,
	10 * 3600,
	14 * 3600,
	20 * 3600,
	24 * 3600
];
/** An endpoint failing this long is disabled (and its company told in the cabinet). */
export const FAILING_DISABLE_MS = 5 * 24 * 3600_000;
/** A claimed delivery is another worker's to retry after this (> the 15 s timeout). */
export const LEASE_SECONDS = 60;

export interface WorkerOptions {
	key: Buffer;
	allowPrivate: boolean;
	log?: Logger;
	batchSize?: number;
	/** Overrides for tests: the retry waits and the HTTP timeout. */
	retrySchedule?: readonly number[];
	timeoutMs?: number;
	now?: () => Date;
}

function decide(
	claimed: ClaimedDelivery,
	result: AttemptResult,
	options: WorkerOptions
): Pick<AttemptRecord, 'outcome' | 'retryInSeconds' | 'disable'> {
	const status = result.statusCode;
	if (status !== null && status >= 200 && status < 300) return { outcome: 'delivered' };
	if (status === 410) return { outcome: 'failed', disable: 'gone' };
	const now = (options.now ?? (() => new Date()))().getTime();
	const failingFor = claimed.failing_since ? now - claimed.failing_since.getTime() : 0;
	const disable = failingFor >= FAILING_DISABLE_MS ? ('failing' as const) : undefined;
	const schedule = options.retrySchedule ?? RETRY_SCHEDULE_SECONDS;
	const wait = schedule[claimed.attempts - 1];
	if (wait === undefined) return { outcome: 'failed', disable };
	return { outcome: 'retry', retryInSeconds: wait, disable };
}

/** Opened secrets by their sealed text (an endpoint's stay the same until a rotation). */
const opened = new Map<string, Buffer>();

function openKey(key: Buffer, sealed: string, endpointId: string): Buffer {
	let bytes = opened.get(sealed);
	if (!bytes) {
		if (opened.size >= 1000) opened.clear();
		const secret = new TextDecoder().decode(openSecret(key, sealed, endpointOwner(endpointId)));
		bytes = secretBytes(secret);
		opened.set(sealed, bytes);
	}
	return bytes;
}

/** Sends one claimed delivery; returns the attempt to record. */
export async function send(
	claimed: ClaimedDelivery,
	options: WorkerOptions
): Promise<AttemptRecord> {
	const keys = [openKey(options.key, claimed.secret_sealed, claimed.endpoint_id)];
	const now = (options.now ?? (() => new Date()))();
	if (
		claimed.previous_secret_sealed &&
		claimed.previous_secret_until &&
		claimed.previous_secret_until.getTime() > now.getTime()
	)
		keys.push(openKey(options.key, claimed.previous_secret_sealed, claimed.endpoint_id));
	const id = messageId(claimed.event_id);
	const body = claimed.body;
	const headers = signedHeaders(keys, id, Math.floor(now.getTime() / 1000), body);
	const result = await postWebhook(claimed.url, headers, body, {
		allowPrivate: options.allowPrivate,
		timeoutMs: options.timeoutMs
	});
	return {
		deliveryId: claimed.id,
		endpointId: claimed.endpoint_id,
		result,
		...decide(claimed, result, options)
	};
}

function logAttempt(claimed: ClaimedDelivery, record: AttemptRecord, options: WorkerOptions) {
	webhookDeliveries.inc({ outcome: record.outcome });
	const { result } = record;
	options.log?.info(
		{
			webhook: {
				deliveryId: claimed.id,
				messageId: messageId(claimed.event_id),
				endpointId: claimed.endpoint_id,
				type: claimed.type,
				attempt: claimed.attempts,
				status: result.statusCode,
				durationMs: Math.round(result.durationMs),
				outcome: record.outcome,
				...(record.retryInSeconds ? { retryInSeconds: record.retryInSeconds } : {}),
				...(record.disable ? { disabled: record.disable } : {}),
				...(result.error ? { error: result.error } : {})
			}
		},
		'webhook attempt'
	);
}

/**
 * One round: claims what is due, sends it concurrently, records every attempt in one
 * statement; returns how many were sent.
 */
export async function deliverDue(db: Kysely<Database>, options: WorkerOptions): Promise<number> {
	const claimed = await claimDue(db, options.batchSize ?? 64, LEASE_SECONDS);
	if (claimed.length === 0) return 0;
	const records = await Promise.all(claimed.map((c) => send(c, options)));
	await recordAttempts(db, records);
	claimed.forEach((c, i) => logAttempt(c, records[i]!, options));
	return claimed.length;
}

/**
 * The delivery worker of this process: `lanes` rounds in flight at once (each claims its own
 * batch: SKIP LOCKED keeps them apart), each lane going on at once after a round that sent
 * something and otherwise sleeping until the next poll (`pollMs`) or until this process commits
 * events (services/webhook-signal.ts): a sleeping lane is then woken `batchWindowMs` later, so
 * that one round takes the events of the commits of that window rather than one round a commit.
 * The poll remains for events other processes committed. The 30-day-old log is purged hourly.
 * Several processes may run it side by side. Returns a stop function that waits for the rounds
 * in flight.
 */
export function startWebhookWorker(
	db: Kysely<Database>,
	options: WorkerOptions & { pollMs?: number; lanes?: number; batchWindowMs?: number }
): { stop: () => Promise<void> } {
	const pollMs = options.pollMs ?? 250;
	const windowMs = options.batchWindowMs ?? 20;
	const lanes = options.lanes ?? 4;
	let stopped = false;
	let lastPurge = 0;
	// Sleeping lanes: their timer, when it fires, and how to wake them at once.
	const sleeping = new Map<
		number,
		{ timer: ReturnType<typeof setTimeout>; at: number; wake: () => void }
	>();
	// Events committed while no lane slept: the next lane about to sleep goes on instead.
	let signalled = false;
	const sleep = (lane: number, ms: number) =>
		new Promise<void>((resolve) => {
			const wake = () => {
				clearTimeout(sleeping.get(lane)?.timer);
				sleeping.delete(lane);
				resolve();
			};
			const timer = setTimeout(wake, ms);
			timer.unref?.();
			sleeping.set(lane, { timer, at: Date.now() + ms, wake });
		});
	const unsubscribe = onWebhookEventsCommitted(() => {
		const soon = Date.now() + windowMs;
		for (const [lane, sleeper] of sleeping) {
			// One lane wakes within the window: already due soon enough, or brought forward.
			if (sleeper.at <= soon) return;
			clearTimeout(sleeper.timer);
			const timer = setTimeout(sleeper.wake, windowMs);
			timer.unref?.();
			sleeping.set(lane, { ...sleeper, timer, at: soon });
			return;
		}
		signalled = true;
	});
	const lane = async (index: number) => {
		// Lanes start apart, so that idle polls spread over the interval.
		await sleep(index, (pollMs * index) / lanes);
		while (!stopped) {
			let next = pollMs;
			try {
				signalled = false;
				if ((await deliverDue(db, options)) > 0) next = 0;
				if (index === 0 && Date.now() - lastPurge > 3600_000) {
					lastPurge = Date.now();
					await purgeOld(db);
				}
			} catch (error) {
				options.log?.warn({ err: String(error) }, 'webhook worker round failed');
				next = 5_000;
			}
			if (next === pollMs && signalled) next = windowMs;
			if (next > 0 && !stopped) await sleep(index, next);
		}
	};
	const running = Array.from({ length: lanes }, (_, i) => lane(i));
	return {
		stop: async () => {
			stopped = true;
			unsubscribe();
			for (const sleeper of [...sleeping.values()]) sleeper.wake();
			await Promise.allSettled(running);
		}
	};
}
