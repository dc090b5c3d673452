import { sql } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { uuidv7 } from '../../../src/lib/domain/uuid';
import { createEndpoint } from '../../../server/services/webhook-endpoints';
import { envelopeSchema, type EventType } from '../../../server/services/webhook-events';
import { deliverDue, type WorkerOptions } from '../../../server/services/webhook-worker';
import { useTestDatabase } from './db';
import { insertCompany, insertCustomer } from './fixtures';
import { startReceiver, type Receiver } from './webhook-receiver';

export const KEY = Buffer.alloc(32, 7);
export const ALLOW = { allowPrivate: true };
/** The worker of the tests: retries at once (the real schedule is tested on its own). */
export const worker: WorkerOptions = {
	key: KEY,
	allowPrivate: true,
	retrySchedule: Array(9).fill(0)
};
export const DEVICE = '01900000-0000-7000-8000-00000000d001';
export const OTHER_DEVICE = '01900000-0000-7000-8000-00000000d002';

/**
 * The webhook tests' world: a database, a local receiver, two companies with a till each and
 * two customers; endpoints, events and what the receiver got are cleared before each test.
 */
export function useWebhookWorld() {
	const t = useTestDatabase();
	let receiver: Receiver | undefined;
	let company = 0;
	let other = 0;
	beforeAll(async () => {
		receiver = await startReceiver();
		company = await insertCompany(t.db, { rateBp: 500, name: 'Кофейня' });
		other = await insertCompany(t.db, { rateBp: 300, name: 'Другая' });
		await t.db
			.insertInto('devices')
			.values([
				{ id: DEVICE, company_id: company, name: 'Касса 1' },
				{ id: OTHER_DEVICE, company_id: other, name: 'Касса 2' }
			])
			.execute();
		await insertCustomer(t.db, '123455', 'Иван Секретов');
		await insertCustomer(t.db, '765438', 'Пётр Тайнов');
	});
	afterAll(() => receiver?.close());
	beforeEach(async () => {
		await sql`delete from webhook_endpoints`.execute(t.db);
		await sql`delete from webhook_events`.execute(t.db);
		receiver!.received.length = 0;
		receiver!.fail(0);
	});

	const w = {
		get db() {
			return t.db;
		},
		get receiver() {
			return receiver!;
		},
		get company() {
			return company;
		},
		get other() {
			return other;
		},
		payment(customerId = '123455', amountKopecks = 1000_00) {
			return { id: uuidv7(), customerId, amountKopecks, occurredAt: new Date().toISOString() };
		},
		async addEndpoint(events: string[], scope: number | null = company, url = receiver!.url) {
			const created = await createEndpoint(
				t.db,
				KEY,
				{ scope, url, description: 'тест', events },
				ALLOW
			);
			if (!created.ok) throw new Error(created.error);
			return created;
		},
		/** Runs the worker until nothing is due. */
		async drain(options: WorkerOptions = worker) {
			for (let i = 0; i < 50; i++) if ((await deliverDue(t.db, options)) === 0) return;
		},
		/** A delivery checked with the reference library and the envelope's schema. */
		verified(secret: string, r: { headers: Record<string, string>; body: string }) {
			const payload = new Webhook(secret).verify(r.body, r.headers) as {
				id: string;
				type: EventType;
				data: unknown;
			};
			expect(payload.id).toBe(r.headers['webhook-id']);
			envelopeSchema(payload.type).parse(payload);
			return payload;
		}
	};
	return w;
}
