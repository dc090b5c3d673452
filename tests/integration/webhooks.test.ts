/**
 * Webhooks (SPEC C14, issue 21): the outbox written with the change and the worker's
 * deliveries, each verified with `standardwebhooks` (the specification's reference library):
 * group commit, rolled-back syncs, refunds and revocations, retries with the same webhook-id,
 * the schedule, 410, the 5-day disable, rotation, several workers. Both databases.
 * (The SSRF guard, metrics, platform endpoints and OpenAPI: webhooks-guard.test.ts.)
 */
import { sql } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { syncPaymentGroup, syncPayments } from '../../server/services/payment-sync';
import { refundPayment } from '../../server/repositories/refunds';
import { revokeDevice } from '../../server/repositories/terminals';
import { createIntegrationKey, revokeIntegrationKey } from '../../server/services/integration-keys';
import {
	rotateEndpointSecret,
	sendTestEvent,
	resend,
	deliveryLog
} from '../../server/services/webhook-endpoints';
import { EVENT_SCHEMAS } from '../../server/services/webhook-events';
import { insertCustomer } from './support/fixtures';
import { DEVICE, KEY, OTHER_DEVICE, useWebhookWorld, worker } from './support/webhook-world';

const w = useWebhookWorld();
const { payment, addEndpoint, drain, verified } = w;

describe('the outbox and its deliveries', () => {
	it('delivers operation.created for each payment a sync stores, signed, without personal data', async () => {
		const endpoint = await addEndpoint(['operation.created']);
		expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
		const ops = [payment(), payment('765438', 250_00)];
		const outcomes = await syncPayments(w.db, {
			companyId: w.company,
			deviceId: DEVICE,
			createdBy: null,
			operations: ops
		});
		expect(outcomes.map((o) => o.outcome)).toEqual(['accepted', 'accepted']);
		// The other company's sync writes nothing to this endpoint.
		await syncPayments(w.db, {
			companyId: w.other,
			deviceId: OTHER_DEVICE,
			createdBy: null,
			operations: [payment()]
		});
		await drain();
		expect(w.receiver.received).toHaveLength(2);
		const payloads = w.receiver.received.map((r) => verified(endpoint.secret, r));
		const byId = new Map(payloads.map((p) => [(p.data as { operationId: string }).operationId, p]));
		for (const op of ops) {
			const data = EVENT_SCHEMAS['operation.created'].parse(byId.get(op.id)!.data);
			expect(data).toMatchObject({
				kind: 'payment',
				companyId: w.company,
				customerId: op.customerId,
				billKopecks: op.amountKopecks,
				cashbackKopecks: op.amountKopecks * 0.05,
				rateBp: 500,
				deviceId: DEVICE
			});
		}
		for (const r of w.receiver.received) expect(r.body).not.toMatch(/Иван|Пётр|Секретов/);
		// A retry of the same batch stores nothing new and sends nothing new.
		const again = await syncPayments(w.db, {
			companyId: w.company,
			deviceId: DEVICE,
			createdBy: null,
			operations: ops
		});
		expect(again.map((o) => o.outcome)).toEqual(['duplicate', 'duplicate']);
		await drain();
		expect(w.receiver.received).toHaveLength(2);
	});

	it('a group commit writes the events of all its calls; a rolled-back one writes none', async () => {
		const endpoint = await addEndpoint(['operation.created']);
		const group = [
			{ companyId: w.company, deviceId: DEVICE, createdBy: null, operations: [payment()] },
			{
				companyId: w.company,
				deviceId: DEVICE,
				createdBy: null,
				operations: [payment(), payment()]
			}
		];
		await syncPaymentGroup(w.db, group);
		await drain();
		const payloads = w.receiver.received.map((r) => verified(endpoint.secret, r));
		const sent = payloads.map((p) => (p.data as { operationId: string }).operationId).sort();
		expect(sent).toEqual(group.flatMap((c) => c.operations.map((o) => o.id)).sort());
		const stored = await w.db.selectFrom('webhook_events').select('id').execute();
		expect(stored).toHaveLength(3);
	});

	it('a rolled-back sync transaction leaves no event', async () => {
		await addEndpoint(['operation.created']);
		await sql`create or replace function wh_boom() returns trigger language plpgsql as $$ begin raise exception 'boom'; end $$`.execute(
			w.db
		);
		await sql`create trigger wh_boom before insert on company_day_summaries for each row execute function wh_boom()`.execute(
			w.db
		);
		const doomed = payment();
		let failed = false;
		try {
			await syncPayments(w.db, {
				companyId: w.company,
				deviceId: DEVICE,
				createdBy: null,
				operations: [doomed]
			});
		} catch {
			failed = true;
		} finally {
			await sql`drop trigger wh_boom on company_day_summaries`.execute(w.db);
			await sql`drop function wh_boom()`.execute(w.db);
		}
		expect(failed).toBe(true);
		expect(
			await w.db.selectFrom('operations').select('id').where('id', '=', doomed.id).execute()
		).toHaveLength(0);
		expect(await w.db.selectFrom('webhook_events').select('id').execute()).toHaveLength(0);
		await drain();
		expect(w.receiver.received).toHaveLength(0);
	});

	it('refunds and terminal revocations are events of their own transactions', async () => {
		const endpoint = await addEndpoint(['operation.refunded', 'terminal.revoked']);
		const op = payment();
		await syncPayments(w.db, {
			companyId: w.company,
			deviceId: DEVICE,
			createdBy: null,
			operations: [op]
		});
		const refunded = await w.db.transaction().execute((trx) =>
			refundPayment(trx, {
				companyId: w.company,
				operationId: op.id,
				reason: 'возврат',
				userId: null
			})
		);
		expect(refunded.ok).toBe(true);
		await w.db.transaction().execute((trx) =>
			revokeDevice(trx, {
				companyId: w.company,
				deviceId: DEVICE,
				mode: 'accept_before',
				now: new Date()
			})
		);
		// A second revocation changes nothing and sends nothing.
		await w.db.transaction().execute((trx) =>
			revokeDevice(trx, {
				companyId: w.company,
				deviceId: DEVICE,
				mode: 'reject_unsent',
				now: new Date()
			})
		);
		await w.db
			.updateTable('devices')
			.set({ revoked_at: null, revoke_mode: null })
			.where('id', '=', DEVICE)
			.execute();
		await drain();
		const payloads = w.receiver.received.map((r) => verified(endpoint.secret, r));
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
		await insertCustomer(w.db, '246801', 'Сидор Новый');
		const op = payment('246801', 1000_00);
		await syncPayments(w.db, {
			companyId: w.company,
			deviceId: DEVICE,
			createdBy: null,
			operations: [op]
		});
		for (const amountKopecks of [300_00, undefined]) {
			const refunded = await w.db.transaction().execute((trx) =>
				refundPayment(trx, {
					companyId: w.company,
					operationId: op.id,
					amountKopecks,
					reason: 'возврат',
					userId: null
				})
			);
			expect(refunded).toMatchObject({ ok: true });
		}
		const key = await createIntegrationKey(w.db, {
			companyId: w.company,
			name: 'Эвотор',
			terminalId: null,
			userId: null
		});
		if (!key.ok) throw new Error(key.error);
		await revokeIntegrationKey(w.db, { companyId: w.company, keyId: key.key.id, userId: null });
		// A second revocation changes nothing and sends nothing.
		await revokeIntegrationKey(w.db, { companyId: w.company, keyId: key.key.id, userId: null });
		await drain();
		const payloads = w.receiver.received.map((r) => verified(endpoint.secret, r));
		const refunds = payloads.filter((p) => p.type === 'operation.refunded').map((p) => p.data);
		expect(refunds).toEqual([
			expect.objectContaining({ amountKopecks: 300_00, cashbackKopecks: 15_00, full: false }),
			expect.objectContaining({ amountKopecks: 700_00, cashbackKopecks: 35_00, full: true })
		]);
		const revoked = payloads.filter((p) => p.type === 'integration_key.revoked');
		expect(revoked.map((p) => p.data)).toEqual([
			expect.objectContaining({ companyId: w.company, keyId: key.key.id, name: 'Эвотор' })
		]);
	});
});

describe('delivery', () => {
	it('retries a failing w.receiver with the same webhook-id until it answers, logging each attempt', async () => {
		const endpoint = await addEndpoint(['operation.created']);
		w.receiver.fail(3);
		await syncPayments(w.db, {
			companyId: w.company,
			deviceId: DEVICE,
			createdBy: null,
			operations: [payment()]
		});
		await drain();
		expect(w.receiver.received).toHaveLength(4);
		expect(new Set(w.receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
		for (const r of w.receiver.received) verified(endpoint.secret, r);
		const log = await deliveryLog(w.db, { scope: w.company, endpointId: endpoint.id });
		expect(log).toHaveLength(1);
		expect(log![0]).toMatchObject({ status: 'delivered', attempts: 4, lastStatusCode: 200 });
		const attempts = await w.db.selectFrom('webhook_attempts').selectAll().orderBy('id').execute();
		expect(attempts.map((a) => a.status_code)).toEqual([500, 500, 500, 200]);
		// At most 1 KB of an answer is kept.
		expect(attempts[0]!.response_head!.length).toBe(1024);
		// «Отправить снова»: the same delivery once more, same webhook-id.
		expect(
			await resend(w.db, {
				scope: w.company,
				endpointId: endpoint.id,
				deliveryId: log![0]!.deliveryId
			})
		).toBe(true);
		expect(
			await resend(w.db, {
				scope: w.other,
				endpointId: endpoint.id,
				deliveryId: log![0]!.deliveryId
			})
		).toBe(false);
		await drain();
		expect(w.receiver.received).toHaveLength(5);
		expect(w.receiver.received[4]!.headers['webhook-id']).toBe(
			w.receiver.received[0]!.headers['webhook-id']
		);
	});

	it('waits 5 s after a first failure (the schedule), and gives up after the last retry', async () => {
		await addEndpoint(['operation.created']);
		w.receiver.fail(1);
		await syncPayments(w.db, {
			companyId: w.company,
			deviceId: DEVICE,
			createdBy: null,
			operations: [payment()]
		});
		await drain({ ...worker, retrySchedule: undefined });
		expect(w.receiver.received).toHaveLength(1);
		const row = await sql<{
			wait: number;
		}>`select extract(epoch from next_attempt_at - now())::float8 as wait from webhook_deliveries`.execute(
			w.db
		);
		expect(row.rows[0]!.wait).toBeGreaterThan(3);
		expect(row.rows[0]!.wait).toBeLessThanOrEqual(5.5);
		w.receiver.fail(100);
		await sql`update webhook_deliveries set next_attempt_at = now()`.execute(w.db);
		await drain({ ...worker, retrySchedule: [0, 0] });
		expect(w.receiver.received).toHaveLength(3);
		const delivery = await w.db
			.selectFrom('webhook_deliveries')
			.selectAll()
			.executeTakeFirstOrThrow();
		expect(delivery.status).toBe('failed');
	});

	it('a 410 disables the endpoint; failing for 5 days disables it too', async () => {
		const gone = await addEndpoint(['operation.created']);
		w.receiver.fail(1, 410);
		await syncPayments(w.db, {
			companyId: w.company,
			deviceId: DEVICE,
			createdBy: null,
			operations: [payment()]
		});
		await drain();
		let row = await w.db
			.selectFrom('webhook_endpoints')
			.selectAll()
			.where('id', '=', gone.id)
			.executeTakeFirstOrThrow();
		expect(row).toMatchObject({ enabled: false, disabled_reason: 'gone' });
		await sql`delete from webhook_endpoints`.execute(w.db);

		const failing = await addEndpoint(['operation.created']);
		await sql`update webhook_endpoints set failing_since = now() - interval '5 days 1 minute'`.execute(
			w.db
		);
		w.receiver.fail(1, 503);
		await syncPayments(w.db, {
			companyId: w.company,
			deviceId: DEVICE,
			createdBy: null,
			operations: [payment()]
		});
		await drain();
		row = await w.db
			.selectFrom('webhook_endpoints')
			.selectAll()
			.where('id', '=', failing.id)
			.executeTakeFirstOrThrow();
		expect(row).toMatchObject({ enabled: false, disabled_reason: 'failing' });
		// Nothing more goes to a disabled endpoint.
		await syncPayments(w.db, {
			companyId: w.company,
			deviceId: DEVICE,
			createdBy: null,
			operations: [payment()]
		});
		await drain();
		expect(w.receiver.received).toHaveLength(2);
	});

	it('after a rotation both secrets sign for 24 hours, then the new one only', async () => {
		const endpoint = await addEndpoint(['operation.created']);
		const rotated = await rotateEndpointSecret(w.db, KEY, {
			scope: w.company,
			endpointId: endpoint.id
		});
		expect(rotated!.secret).not.toBe(endpoint.secret);
		await sendTestEvent(w.db, { scope: w.company, endpointId: endpoint.id });
		await drain();
		const [during] = w.receiver.received;
		expect(during!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
		expect(verified(endpoint.secret, during!).type).toBe('webhook.test');
		expect(verified(rotated!.secret, during!).type).toBe('webhook.test');
		// 24 hours on: the previous secret's overlap is over, only the new secret signs.
		await sql`update webhook_endpoints set previous_secret_until = now() - interval '1 second'`.execute(
			w.db
		);
		await sendTestEvent(w.db, { scope: w.company, endpointId: endpoint.id });
		await drain();
		const after = w.receiver.received[1]!;
		expect(after.headers['webhook-signature']!.split(' ')).toHaveLength(1);
		expect(() => new Webhook(endpoint.secret).verify(after.body, after.headers)).toThrow();
		expect(verified(rotated!.secret, after).type).toBe('webhook.test');
	});

	it('the running worker (four lanes) delivers within a second and stops cleanly', async () => {
		const { startWebhookWorker } = await import('../../server/services/webhook-worker');
		const endpoint = await addEndpoint(['operation.created']);
		const running = startWebhookWorker(w.db, { ...worker, pollMs: 100 });
		try {
			const started = Date.now();
			await syncPayments(w.db, {
				companyId: w.company,
				deviceId: DEVICE,
				createdBy: null,
				operations: [payment(), payment(), payment()]
			});
			await w.receiver.waitFor(3, 5_000);
			expect(Date.now() - started).toBeLessThan(2_000);
			for (const r of w.receiver.received) verified(endpoint.secret, r);
		} finally {
			await running.stop();
		}
	});

	it('two workers at once deliver each event exactly once', async () => {
		const endpoint = await addEndpoint(['operation.created']);
		const ops = Array.from({ length: 40 }, () => payment());
		await syncPayments(w.db, {
			companyId: w.company,
			deviceId: DEVICE,
			createdBy: null,
			operations: ops
		});
		await Promise.all([drain({ ...worker, batchSize: 3 }), drain({ ...worker, batchSize: 3 })]);
		expect(w.receiver.received).toHaveLength(40);
		const ids = w.receiver.received.map((r) => verified(endpoint.secret, r).id);
		expect(new Set(ids).size).toBe(40);
	});
});
