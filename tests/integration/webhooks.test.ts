/**
 * Webhooks (SPEC C14, issue 21): the outbox written with the change, the worker's deliveries
 * verified with `standardwebhooks` (the specification's reference library), rotation, retries,
 * 410, the 5-day disable, SSRF, rolled-back syncs and several workers. Both databases.
 */
import { sql } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { syncPaymentGroup, syncPayments } from '../../server/services/payment-sync';
import { refundPayment } from '../../server/repositories/refunds';
import { revokeDevice } from '../../server/repositories/terminals';
import { createIntegrationKey, revokeIntegrationKey } from '../../server/services/integration-keys';
import {
	createEndpoint,
	rotateEndpointSecret,
	sendTestEvent,
	resend,
	deliveryLog
} from '../../server/services/webhook-endpoints';
import {
	EVENT_SCHEMAS,
	envelopeSchema,
	openApiWebhooks,
	type EventType
} from '../../server/services/webhook-events';
import { deliverDue, type WorkerOptions } from '../../server/services/webhook-worker';
import { urlRefusal } from '../../server/services/webhook-ssrf';
import { useTestDatabase } from './support/db';
import { insertCompany, insertCustomer } from './support/fixtures';
import { startReceiver, type Receiver } from './support/webhook-receiver';

const t = useTestDatabase();
const KEY = Buffer.alloc(32, 7);
const ALLOW = { allowPrivate: true };
const worker: WorkerOptions = { key: KEY, allowPrivate: true, retrySchedule: Array(9).fill(0) };

let receiver: Receiver;
let company: number;
let other: number;
const DEVICE = '01900000-0000-7000-8000-00000000d001';
const OTHER_DEVICE = '01900000-0000-7000-8000-00000000d002';

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
afterAll(() => receiver.close());

beforeEach(async () => {
	await sql`delete from webhook_endpoints`.execute(t.db);
	await sql`delete from webhook_events`.execute(t.db);
	receiver.received.length = 0;
	receiver.fail(0);
});

function payment(customerId = '123455', amountKopecks = 1000_00) {
	return { id: uuidv7(), customerId, amountKopecks, occurredAt: new Date().toISOString() };
}

async function addEndpoint(events: string[], scope: number | null = company, url = receiver.url) {
	const created = await createEndpoint(
		t.db,
		KEY,
		{ scope, url, description: 'тест', events },
		ALLOW
	);
	if (!created.ok) throw new Error(created.error);
	return created;
}

/** Runs the worker until nothing is due. */
async function drain(options: WorkerOptions = worker) {
	for (let i = 0; i < 50; i++) if ((await deliverDue(t.db, options)) === 0) return;
}

function verified(secret: string, r: { headers: Record<string, string>; body: string }) {
	const payload = new Webhook(secret).verify(r.body, r.headers) as {
		id: string;
		type: EventType;
		data: unknown;
	};
	expect(payload.id).toBe(r.headers['webhook-id']);
	envelopeSchema(payload.type).parse(payload);
	return payload;
}

describe('the outbox and its deliveries', () => {
	it('delivers operation.created for each payment a sync stores, signed, without personal data', async () => {
		const endpoint = await addEndpoint(['operation.created']);
		expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
		const ops = [payment(), payment('765438', 250_00)];
		const outcomes = await syncPayments(t.db, {
			companyId: company,
			deviceId: DEVICE,
			createdBy: null,
			operations: ops
		});
		expect(outcomes.map((o) => o.outcome)).toEqual(['accepted', 'accepted']);
		// The other company's sync writes nothing to this endpoint.
		await syncPayments(t.db, {
			companyId: other,
			deviceId: OTHER_DEVICE,
			createdBy: null,
			operations: [payment()]
		});
		await drain();
		expect(receiver.received).toHaveLength(2);
		const payloads = receiver.received.map((r) => verified(endpoint.secret, r));
		const byId = new Map(payloads.map((p) => [(p.data as { operationId: string }).operationId, p]));
		for (const op of ops) {
			const data = EVENT_SCHEMAS['operation.created'].parse(byId.get(op.id)!.data);
			expect(data).toMatchObject({
				kind: 'payment',
				companyId: company,
				customerId: op.customerId,
				billKopecks: op.amountKopecks,
				cashbackKopecks: op.amountKopecks * 0.05,
				rateBp: 500,
				deviceId: DEVICE
			});
		}
		for (const r of receiver.received) expect(r.body).not.toMatch(/Иван|Пётр|Секретов/);
		// A retry of the same batch stores nothing new and sends nothing new.
		const again = await syncPayments(t.db, {
			companyId: company,
			deviceId: DEVICE,
			createdBy: null,
			operations: ops
		});
		expect(again.map((o) => o.outcome)).toEqual(['duplicate', 'duplicate']);
		await drain();
		expect(receiver.received).toHaveLength(2);
	});

	it('a group commit writes the events of all its calls; a rolled-back one writes none', async () => {
		const endpoint = await addEndpoint(['operation.created']);
		const group = [
			{ companyId: company, deviceId: DEVICE, createdBy: null, operations: [payment()] },
			{ companyId: company, deviceId: DEVICE, createdBy: null, operations: [payment(), payment()] }
		];
		await syncPaymentGroup(t.db, group);
		await drain();
		const payloads = receiver.received.map((r) => verified(endpoint.secret, r));
		const sent = payloads.map((p) => (p.data as { operationId: string }).operationId).sort();
		expect(sent).toEqual(group.flatMap((c) => c.operations.map((o) => o.id)).sort());
		const stored = await t.db.selectFrom('webhook_events').select('id').execute();
		expect(stored).toHaveLength(3);
	});

	it('a rolled-back sync transaction leaves no event', async () => {
		await addEndpoint(['operation.created']);
		await sql`create or replace function wh_boom() returns trigger language plpgsql as $$ begin raise exception 'boom'; end $$`.execute(
			t.db
		);
		await sql`create trigger wh_boom before insert on company_day_summaries for each row execute function wh_boom()`.execute(
			t.db
		);
		const doomed = payment();
		let failed = false;
		try {
			await syncPayments(t.db, {
				companyId: company,
				deviceId: DEVICE,
				createdBy: null,
				operations: [doomed]
			});
		} catch {
			failed = true;
		} finally {
			await sql`drop trigger wh_boom on company_day_summaries`.execute(t.db);
			await sql`drop function wh_boom()`.execute(t.db);
		}
		expect(failed).toBe(true);
		expect(
			await t.db.selectFrom('operations').select('id').where('id', '=', doomed.id).execute()
		).toHaveLength(0);
		expect(await t.db.selectFrom('webhook_events').select('id').execute()).toHaveLength(0);
		await drain();
		expect(receiver.received).toHaveLength(0);
	});

	it('refunds and terminal revocations are events of their own transactions', async () => {
		const endpoint = await addEndpoint(['operation.refunded', 'terminal.revoked']);
		const op = payment();
		await syncPayments(t.db, {
			companyId: company,
			deviceId: DEVICE,
			createdBy: null,
			operations: [op]
		});
		const refunded = await t.db.transaction().execute((trx) =>
			refundPayment(trx, {
				companyId: company,
				operationId: op.id,
				reason: 'возврат',
				userId: null
			})
		);
		expect(refunded.ok).toBe(true);
		await t.db.transaction().execute((trx) =>
			revokeDevice(trx, {
				companyId: company,
				deviceId: DEVICE,
				mode: 'accept_before',
				now: new Date()
			})
		);
		// A second revocation changes nothing and sends nothing.
		await t.db.transaction().execute((trx) =>
			revokeDevice(trx, {
				companyId: company,
				deviceId: DEVICE,
				mode: 'reject_unsent',
				now: new Date()
			})
		);
		await t.db
			.updateTable('devices')
			.set({ revoked_at: null, revoke_mode: null })
			.where('id', '=', DEVICE)
			.execute();
		await drain();
		const payloads = receiver.received.map((r) => verified(endpoint.secret, r));
		expect(payloads.map((p) => p.type).sort()).toEqual(['operation.refunded', 'terminal.revoked']);
		const refund = payloads.find((p) => p.type === 'operation.refunded')!.data;
		expect(refund).toMatchObject({
			operationId: op.id,
			amountKopecks: op.amountKopecks,
			full: true,
			customerId: '123455'
		});
	});
	it('partial refunds are events of their own share; revoking an integration key is an event', async () => {
		const endpoint = await addEndpoint(['operation.refunded', 'integration_key.revoked']);
		// A customer of their own: the earlier tests' payments would put this one under review.
		await insertCustomer(t.db, '246801', 'Сидор Новый');
		const op = payment('246801', 1000_00);
		await syncPayments(t.db, {
			companyId: company,
			deviceId: DEVICE,
			createdBy: null,
			operations: [op]
		});
		for (const amountKopecks of [300_00, undefined]) {
			const refunded = await t.db.transaction().execute((trx) =>
				refundPayment(trx, {
					companyId: company,
					operationId: op.id,
					amountKopecks,
					reason: 'возврат',
					userId: null
				})
			);
			expect(refunded).toMatchObject({ ok: true });
		}
		const key = await createIntegrationKey(t.db, {
			companyId: company,
			name: 'Эвотор',
			terminalId: null,
			userId: null
		});
		if (!key.ok) throw new Error(key.error);
		await revokeIntegrationKey(t.db, { companyId: company, keyId: key.key.id, userId: null });
		// A second revocation changes nothing and sends nothing.
		await revokeIntegrationKey(t.db, { companyId: company, keyId: key.key.id, userId: null });
		await drain();
		const payloads = receiver.received.map((r) => verified(endpoint.secret, r));
		const refunds = payloads.filter((p) => p.type === 'operation.refunded').map((p) => p.data);
		expect(refunds).toEqual([
			expect.objectContaining({ amountKopecks: 300_00, cashbackKopecks: 15_00, full: false }),
			expect.objectContaining({ amountKopecks: 700_00, cashbackKopecks: 35_00, full: true })
		]);
		const revoked = payloads.filter((p) => p.type === 'integration_key.revoked');
		expect(revoked.map((p) => p.data)).toEqual([
			expect.objectContaining({ companyId: company, keyId: key.key.id, name: 'Эвотор' })
		]);
	});
});

describe('delivery', () => {
	it('retries a failing receiver with the same webhook-id until it answers, logging each attempt', async () => {
		const endpoint = await addEndpoint(['operation.created']);
		receiver.fail(3);
		await syncPayments(t.db, {
			companyId: company,
			deviceId: DEVICE,
			createdBy: null,
			operations: [payment()]
		});
		await drain();
		expect(receiver.received).toHaveLength(4);
		expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
		for (const r of receiver.received) verified(endpoint.secret, r);
		const log = await deliveryLog(t.db, { scope: company, endpointId: endpoint.id });
		expect(log).toHaveLength(1);
		expect(log![0]).toMatchObject({ status: 'delivered', attempts: 4, lastStatusCode: 200 });
		const attempts = await t.db.selectFrom('webhook_attempts').selectAll().orderBy('id').execute();
		expect(attempts.map((a) => a.status_code)).toEqual([500, 500, 500, 200]);
		// At most 1 KB of an answer is kept.
		expect(attempts[0]!.response_head!.length).toBe(1024);
		// «Отправить снова»: the same delivery once more, same webhook-id.
		expect(
			await resend(t.db, {
				scope: company,
				endpointId: endpoint.id,
				deliveryId: log![0]!.deliveryId
			})
		).toBe(true);
		expect(
			await resend(t.db, { scope: other, endpointId: endpoint.id, deliveryId: log![0]!.deliveryId })
		).toBe(false);
		await drain();
		expect(receiver.received).toHaveLength(5);
		expect(receiver.received[4]!.headers['webhook-id']).toBe(
			receiver.received[0]!.headers['webhook-id']
		);
	});

	it('waits 5 s after a first failure (the schedule), and gives up after the last retry', async () => {
		await addEndpoint(['operation.created']);
		receiver.fail(1);
		await syncPayments(t.db, {
			companyId: company,
			deviceId: DEVICE,
			createdBy: null,
			operations: [payment()]
		});
		await drain({ ...worker, retrySchedule: undefined });
		expect(receiver.received).toHaveLength(1);
		const row = await sql<{
			wait: number;
		}>`select extract(epoch from next_attempt_at - now())::float8 as wait from webhook_deliveries`.execute(
			t.db
		);
		expect(row.rows[0]!.wait).toBeGreaterThan(3);
		expect(row.rows[0]!.wait).toBeLessThanOrEqual(5.5);
		receiver.fail(100);
		await sql`update webhook_deliveries set next_attempt_at = now()`.execute(t.db);
		await drain({ ...worker, retrySchedule: [0, 0] });
		expect(receiver.received).toHaveLength(3);
		const delivery = await t.db
			.selectFrom('webhook_deliveries')
			.selectAll()
			.executeTakeFirstOrThrow();
		expect(delivery.status).toBe('failed');
	});

	it('a 410 disables the endpoint; failing for 5 days disables it too', async () => {
		const gone = await addEndpoint(['operation.created']);
		receiver.fail(1, 410);
		await syncPayments(t.db, {
			companyId: company,
			deviceId: DEVICE,
			createdBy: null,
			operations: [payment()]
		});
		await drain();
		let row = await t.db
			.selectFrom('webhook_endpoints')
			.selectAll()
			.where('id', '=', gone.id)
			.executeTakeFirstOrThrow();
		expect(row).toMatchObject({ enabled: false, disabled_reason: 'gone' });
		await sql`delete from webhook_endpoints`.execute(t.db);

		const failing = await addEndpoint(['operation.created']);
		await sql`update webhook_endpoints set failing_since = now() - interval '5 days 1 minute'`.execute(
			t.db
		);
		receiver.fail(1, 503);
		await syncPayments(t.db, {
			companyId: company,
			deviceId: DEVICE,
			createdBy: null,
			operations: [payment()]
		});
		await drain();
		row = await t.db
			.selectFrom('webhook_endpoints')
			.selectAll()
			.where('id', '=', failing.id)
			.executeTakeFirstOrThrow();
		expect(row).toMatchObject({ enabled: false, disabled_reason: 'failing' });
		// Nothing more goes to a disabled endpoint.
		await syncPayments(t.db, {
			companyId: company,
			deviceId: DEVICE,
			createdBy: null,
			operations: [payment()]
		});
		await drain();
		expect(receiver.received).toHaveLength(2);
	});

	it('after a rotation both secrets sign for 24 hours, then the new one only', async () => {
		const endpoint = await addEndpoint(['operation.created']);
		const rotated = await rotateEndpointSecret(t.db, KEY, {
			scope: company,
			endpointId: endpoint.id
		});
		expect(rotated!.secret).not.toBe(endpoint.secret);
		await sendTestEvent(t.db, { scope: company, endpointId: endpoint.id });
		await drain();
		const [during] = receiver.received;
		expect(during!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
		expect(verified(endpoint.secret, during!).type).toBe('webhook.test');
		expect(verified(rotated!.secret, during!).type).toBe('webhook.test');
		// 24 hours on: the previous secret's overlap is over, only the new secret signs.
		await sql`update webhook_endpoints set previous_secret_until = now() - interval '1 second'`.execute(
			t.db
		);
		await sendTestEvent(t.db, { scope: company, endpointId: endpoint.id });
		await drain();
		const after = receiver.received[1]!;
		expect(after.headers['webhook-signature']!.split(' ')).toHaveLength(1);
		expect(() => new Webhook(endpoint.secret).verify(after.body, after.headers)).toThrow();
		expect(verified(rotated!.secret, after).type).toBe('webhook.test');
	});

	it('the running worker (four lanes) delivers within a second and stops cleanly', async () => {
		const { startWebhookWorker } = await import('../../server/services/webhook-worker');
		const endpoint = await addEndpoint(['operation.created']);
		const running = startWebhookWorker(t.db, { ...worker, pollMs: 100 });
		try {
			const started = Date.now();
			await syncPayments(t.db, {
				companyId: company,
				deviceId: DEVICE,
				createdBy: null,
				operations: [payment(), payment(), payment()]
			});
			await receiver.waitFor(3, 5_000);
			expect(Date.now() - started).toBeLessThan(2_000);
			for (const r of receiver.received) verified(endpoint.secret, r);
		} finally {
			await running.stop();
		}
	});

	it('two workers at once deliver each event exactly once', async () => {
		const endpoint = await addEndpoint(['operation.created']);
		const ops = Array.from({ length: 40 }, () => payment());
		await syncPayments(t.db, {
			companyId: company,
			deviceId: DEVICE,
			createdBy: null,
			operations: ops
		});
		await Promise.all([drain({ ...worker, batchSize: 3 }), drain({ ...worker, batchSize: 3 })]);
		expect(receiver.received).toHaveLength(40);
		const ids = receiver.received.map((r) => verified(endpoint.secret, r).id);
		expect(new Set(ids).size).toBe(40);
	});
});

describe('metrics, logs and the 30-day log', () => {
	it('counts outcomes, gauges the queue, logs one line per attempt, purges after 30 days', async () => {
		const { registry } = await import('../../server/observability/metrics');
		const { observeWebhookQueue } = await import('../../server/observability/webhook-metrics');
		const { createLogger } = await import('../../server/observability/logger');
		const { purgeOld } = await import('../../server/repositories/webhook-outbox');
		observeWebhookQueue(t.db);
		const lines: string[] = [];
		const log = createLogger({ write: (line: string) => void lines.push(line) });
		await addEndpoint(['operation.created']);
		await syncPayments(t.db, {
			companyId: company,
			deviceId: DEVICE,
			createdBy: null,
			operations: [payment(), payment()]
		});
		const gauge = async (name: string) =>
			Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(await registry.metrics())?.[1]);
		expect(await gauge('kopek_webhook_queue_depth')).toBe(2);
		expect(await gauge('kopek_webhook_oldest_undelivered_seconds')).toBeGreaterThanOrEqual(0);
		const delivered = async () =>
			Number(
				/kopek_webhook_deliveries_total\{outcome="delivered"\} (\d+)/.exec(
					await registry.metrics()
				)?.[1] ?? 0
			);
		const before = await delivered();
		receiver.fail(1);
		await drain({ ...worker, log });
		expect(await delivered()).toBe(before + 2);
		expect(await gauge('kopek_webhook_queue_depth')).toBe(0);
		const attempts = lines.map(
			(l) => JSON.parse(l) as { msg: string; webhook: { outcome: string } }
		);
		expect(attempts.map((a) => a.msg)).toEqual([
			'webhook attempt',
			'webhook attempt',
			'webhook attempt'
		]);
		expect(attempts.map((a) => a.webhook.outcome).sort()).toEqual([
			'delivered',
			'delivered',
			'retry'
		]);
		expect(lines.join('')).not.toMatch(/whsec_|webhook-signature/);
		// 31 days on, the delivered events and their log go; none pending is ever purged.
		await sql`update webhook_events set created_at = now() - interval '31 days'`.execute(t.db);
		expect(await purgeOld(t.db)).toBe(2);
		expect(await t.db.selectFrom('webhook_attempts').select('id').execute()).toHaveLength(0);
	});
});

describe('the SSRF guard', () => {
	const guard = { allowPrivate: false };
	it.each([
		'https://127.0.0.1/hook',
		'https://10.1.2.3/hook',
		'https://169.254.169.254/latest/meta-data',
		'https://[::1]/hook',
		'https://[::ffff:127.0.0.1]/hook',
		'https://192.168.0.10/',
		'https://224.0.0.1/'
	])('refuses %s', async (url) => {
		expect(await urlRefusal(url, guard)).toBe('private_address');
	});

	it('refuses a name resolving to 127.0.0.1, plain HTTP, and accepts a public address', async () => {
		const lookup = async () => [{ address: '127.0.0.1', family: 4 }];
		expect(await urlRefusal('https://hooks.example.test/x', { ...guard, lookup })).toBe(
			'private_address'
		);
		expect(await urlRefusal('https://localhost/x', guard)).toBe('private_address');
		expect(await urlRefusal('http://93.184.216.34/x', guard)).toBe('not_https');
		expect(await urlRefusal('https://93.184.216.34/x', guard)).toBeNull();
		expect(await urlRefusal('https://127.0.0.1/x', { allowPrivate: true })).toBeNull();
	});

	it('checks the address the socket connects to (a name resolving to loopback)', async () => {
		const { postWebhook } = await import('../../server/services/webhook-http');
		const port = new URL(receiver.url).port;
		const result = await postWebhook(`https://localhost:${port}/hook`, {}, '{}', guard);
		expect(result.statusCode).toBeNull();
		expect(result.error).toMatch(/forbidden address/);
		expect(receiver.received).toHaveLength(0);
	});

	it('refuses at creation, and again at delivery when private addresses are no longer allowed', async () => {
		const refused = await createEndpoint(
			t.db,
			KEY,
			{ scope: company, url: 'https://[::1]/x', description: '', events: ['operation.created'] },
			guard
		);
		expect(refused).toEqual({ ok: false, error: 'private_address' });
		await addEndpoint(['operation.created']);
		await syncPayments(t.db, {
			companyId: company,
			deviceId: DEVICE,
			createdBy: null,
			operations: [payment()]
		});
		await drain({ ...worker, allowPrivate: false, retrySchedule: [] });
		expect(receiver.received).toHaveLength(0);
		const attempt = await t.db.selectFrom('webhook_attempts').selectAll().executeTakeFirstOrThrow();
		expect(attempt.error).toMatch(/not_https|private_address/);
	});
});

describe('platform endpoints and the OpenAPI section', () => {
	it('the operator’s endpoint gets statement.closed of every company, companies only their own', async () => {
		const platform = await addEndpoint(['company.approved', 'statement.closed'], null);
		const refused = await createEndpoint(
			t.db,
			KEY,
			{ scope: null, url: receiver.url, description: '', events: ['operation.created'] },
			ALLOW
		);
		expect(refused).toEqual({ ok: false, error: 'unknown_event' });
		const { recordEvent } = await import('../../server/repositories/webhook-outbox');
		await t.db.transaction().execute((trx) =>
			recordEvent(trx, {
				companyId: other,
				type: 'statement.closed',
				data: {
					companyId: other,
					month: '2026-10',
					closedAt: new Date().toISOString(),
					netKopecks: 1,
					sha256: 'x'
				}
			})
		);
		await drain();
		expect(receiver.received.map((r) => verified(platform.secret, r).type)).toEqual([
			'statement.closed'
		]);
	});

	it('the routers: a company sees only its own endpoints, the operator only platform ones', async () => {
		const { callerAs, insertUser } = await import('./support/fixtures');
		const admin = await callerAs(t.db, await insertUser(t.db, 'company', { companyId: company }));
		const stranger = await callerAs(t.db, await insertUser(t.db, 'company', { companyId: other }));
		const operator = await callerAs(t.db, await insertUser(t.db, 'operator'));
		const mine = await addEndpoint(['terminal.paired']);
		const platform = await addEndpoint(['company.registered'], null);
		expect((await admin.webhooks.list()).endpoints.map((e) => e.id)).toEqual([mine.id]);
		expect((await stranger.webhooks.list()).endpoints).toEqual([]);
		expect((await operator.platformWebhooks.list()).endpoints.map((e) => e.id)).toEqual([
			platform.id
		]);
		expect(await stranger.webhooks.setEnabled({ endpointId: mine.id, enabled: false })).toBe(false);
		expect(await stranger.webhooks.log({ endpointId: mine.id })).toBeNull();
		expect(await stranger.webhooks.remove({ endpointId: mine.id })).toBe(false);
		expect(await admin.webhooks.setEnabled({ endpointId: mine.id, enabled: false })).toBe(true);
		expect(await admin.webhooks.sendTest({ endpointId: mine.id })).toMatch(/^[0-9a-f-]{36}$/);
		// A secret is never in what the list answers.
		expect(JSON.stringify(await admin.webhooks.list())).not.toMatch(/sealed|whsec_|v1\./);
		expect(await admin.webhooks.remove({ endpointId: mine.id })).toBe(true);
	});

	it('documents every event as an OpenAPI 3.1 webhook', () => {
		const hooks = openApiWebhooks() as Record<
			string,
			{
				post: {
					requestBody: {
						content: Record<string, { schema: { properties: Record<string, unknown> } }>;
					};
				};
			}
		>;
		expect(Object.keys(hooks)).toEqual(
			expect.arrayContaining([
				'operation.created',
				'operation.refunded',
				'statement.closed',
				'terminal.paired',
				'terminal.revoked',
				'integration_key.revoked'
			])
		);
		const schema = hooks['operation.created']!.post.requestBody.content['application/json']!.schema;
		expect(Object.keys(schema.properties)).toEqual(['id', 'type', 'timestamp', 'data']);
	});
});
