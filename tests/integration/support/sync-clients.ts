import type { Kysely } from 'kysely';
import { createSession } from '../../../server/auth/session';
import type { Database } from '../../../server/db/types';
import { uuidv7 } from '../../../src/lib/domain/uuid';
import { insertDevice } from './cabinets-fixtures';
import { insertCompany, insertCustomer, insertUser } from './fixtures';

/** One company, one customer, `devices` terminals and a session token, for pushing syncs. */
export async function seedShop(db: Kysely<Database>, devices: number) {
	await insertCustomer(db, '123455', 'Иванов Иван');
	const companyId = await insertCompany(db, { rateBp: 1000 });
	const user = await insertUser(db, 'company', { companyId });
	const { token } = await createSession(db, user.id);
	const deviceIds: string[] = [];
	for (let i = 0; i < devices; i++) deviceIds.push(await insertDevice(db, companyId, `Касса ${i}`));
	return { token, deviceIds };
}

export interface ClientStats {
	produced: string[];
	acknowledged: Set<string>;
	statuses: Record<string, number>;
	/** Calls that got no answer at all within the client's timeout. */
	noAnswer: number;
	slowestMs: number;
	missingRetryAfter: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A counter that pushes `payments.sync` batches like the offline engine: a batch leaves only
 * when the server answered it (accepted or duplicate); any failure retries the same batch.
 * It produces new batches until `producing()` says stop, then drains what it has.
 */
export async function runClient(options: {
	baseUrl: () => string;
	token: string;
	deviceId: string;
	producing: () => boolean;
	deadline: number;
	stats: ClientStats;
	batchSize?: number;
	timeoutMs?: number;
}) {
	const { stats } = options;
	const batchSize = options.batchSize ?? 10;
	while (options.producing()) {
		const batch = Array.from({ length: batchSize }, (_, i) => ({
			id: uuidv7(),
			customerId: '123455',
			amountKopecks: 100_00 + i,
			occurredAt: new Date(Date.now() - 1000).toISOString()
		}));
		stats.produced.push(...batch.map((op) => op.id));
		for (;;) {
			if (Date.now() > options.deadline) throw new Error('the client ran past its deadline');
			const started = Date.now();
			try {
				const response = await fetch(`${options.baseUrl()}/api/trpc/payments.sync`, {
					method: 'POST',
					headers: {
						'content-type': 'application/json',
						cookie: `kopek_session=${options.token}`
					},
					body: JSON.stringify({ json: { deviceId: options.deviceId, operations: batch } }),
					signal: AbortSignal.timeout(options.timeoutMs ?? 15_000)
				});
				const text = await response.text();
				stats.slowestMs = Math.max(stats.slowestMs, Date.now() - started);
				stats.statuses[response.status] = (stats.statuses[response.status] ?? 0) + 1;
				if (response.status === 503 && !response.headers.get('retry-after')) {
					stats.missingRetryAfter++;
				}
				if (response.status === 200) {
					const outcomes = JSON.parse(text).result.data.json as { id: string; outcome: string }[];
					for (const o of outcomes) {
						if (o.outcome !== 'accepted' && o.outcome !== 'duplicate') {
							throw new Error(`unexpected outcome ${o.outcome} for ${o.id}`);
						}
						stats.acknowledged.add(o.id);
					}
					break;
				}
			} catch (error) {
				if ((error as Error).message?.startsWith('unexpected outcome')) throw error;
				if ((error as Error).name === 'TimeoutError') stats.noAnswer++;
				stats.statuses.network = (stats.statuses.network ?? 0) + 1;
			}
			await sleep(250);
		}
		await sleep(40);
	}
}

export function emptyStats(): ClientStats {
	return {
		produced: [],
		acknowledged: new Set(),
		statuses: {},
		noAnswer: 0,
		slowestMs: 0,
		missingRetryAfter: 0
	};
}
