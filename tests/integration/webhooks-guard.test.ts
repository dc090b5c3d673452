/**
 * Webhooks (SPEC C14, issue 21), the rest: the events of pairing, statement closing,
 * registration and approval; metrics and log lines, the 30-day purge, the SSRF
 * guard (loopback, 10/8, 169.254.169.254, [::1], a name resolving to 127.0.0.1; at creation,
 * at delivery and at connect time), platform endpoints, the routers' scopes, the OpenAPI
 * section. Both databases.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { syncPayments } from '../../server/services/payment-sync';
import { createEndpoint } from '../../server/services/webhook-endpoints';
import { openApiWebhooks } from '../../server/services/webhook-events';
import { urlRefusal } from '../../server/services/webhook-ssrf';
import { ALLOW, DEVICE, KEY, useWebhookWorld, worker } from './support/webhook-world';

const w = useWebhookWorld();
const { payment, addEndpoint, drain, verified } = w;

describe('every other change writes its event in its own transaction', () => {
	it('terminal.paired, statement.closed (company and platform), company.registered and approved', async () => {
		const { createPairingCode, pairTerminal } =
			await import('../../server/services/terminal-pairing');
		const { closeMonth, shiftMonth } = await import('../../server/services/statements');
		const { registerCompany } = await import('../../server/services/registration');
		const { approve } = await import('../../server/repositories/companies');
		const mine = await addEndpoint(['terminal.paired', 'statement.closed']);
		const platform = await addEndpoint(
			['company.registered', 'company.approved', 'statement.closed'],
			null
		);
		const now = new Date();
		const { code } = await createPairingCode(w.db, {
			companyId: w.company,
			name: 'Касса у окна',
			createdBy: null,
			now
		});
		const paired = await pairTerminal(w.db, { code, ip: '192.0.2.1', now });
		expect(paired.ok).toBe(true);
		const month = shiftMonth(
			new Intl.DateTimeFormat('en-CA', {
				timeZone: 'Europe/Moscow',
				year: 'numeric',
				month: '2-digit'
			})
				.format(new Date())
				.slice(0, 7),
			-1
		);
		const closed = await closeMonth(w.db, { companyId: w.company, month, closedBy: null });
		expect(closed.ok).toBe(true);
		const registered = await registerCompany(w.db, {
			email: `wh-${Date.now()}@example.test`,
			password: 'a-long-enough-password-1',
			phone: '+79990000000',
			inviterPartnerId: 1,
			company: { name: 'Новая компания', inn: null }
		});
		if (!registered.ok) throw new Error(registered.error);
		await w.db
			.insertInto('company_documents')
			.values({
				company_id: registered.companyId,
				file_name: 'устав.pdf',
				content_type: 'application/pdf',
				content: new Uint8Array([1]),
				size_bytes: 1
			})
			.execute();
		const approved = await w.db.transaction().execute((trx) => approve(trx, registered.companyId));
		expect(approved.ok).toBe(true);
		await drain();
		const bySecret = (secret: string) =>
			w.receiver.received.flatMap((r) => {
				try {
					return [verified(secret, r)];
				} catch {
					return [];
				}
			});
		const toCompany = bySecret(mine.secret);
		expect(toCompany.map((p) => p.type).sort()).toEqual(
			(closed.ok ? closed.closed : [])
				.map(() => 'statement.closed')
				.concat('terminal.paired')
				.sort()
		);
		expect(toCompany.find((p) => p.type === 'terminal.paired')!.data).toMatchObject({
			companyId: w.company,
			deviceId: paired.ok ? paired.deviceId : '',
			name: 'Касса у окна'
		});
		const toPlatform = bySecret(platform.secret);
		expect(toPlatform.map((p) => p.type).sort()).toEqual(
			['company.approved', 'company.registered']
				.concat((closed.ok ? closed.closed : []).map(() => 'statement.closed'))
				.sort()
		);
		expect(toPlatform.find((p) => p.type === 'company.registered')!.data).toMatchObject({
			companyId: registered.companyId,
			name: 'Новая компания'
		});
	});
});

describe('metrics, logs and the 30-day log', () => {
	it('counts outcomes, gauges the queue, logs one line per attempt, purges after 30 days', async () => {
		const { registry } = await import('../../server/observability/metrics');
		const { observeWebhookQueue } = await import('../../server/observability/webhook-metrics');
		const { createLogger } = await import('../../server/observability/logger');
		const { purgeOld } = await import('../../server/repositories/webhook-outbox');
		observeWebhookQueue(w.db);
		const lines: string[] = [];
		const log = createLogger({ write: (line: string) => void lines.push(line) });
		await addEndpoint(['operation.created']);
		await syncPayments(w.db, {
			companyId: w.company,
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
		w.receiver.fail(1);
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
		await sql`update webhook_events set created_at = now() - interval '31 days'`.execute(w.db);
		expect(await purgeOld(w.db)).toBe(2);
		expect(await w.db.selectFrom('webhook_attempts').select('id').execute()).toHaveLength(0);
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
		const port = new URL(w.receiver.url).port;
		const result = await postWebhook(`https://localhost:${port}/hook`, {}, '{}', guard);
		expect(result.statusCode).toBeNull();
		expect(result.error).toMatch(/forbidden address/);
		expect(w.receiver.received).toHaveLength(0);
	});

	it('refuses at creation, and again at delivery when private addresses are no longer allowed', async () => {
		const refused = await createEndpoint(
			w.db,
			KEY,
			{ scope: w.company, url: 'https://[::1]/x', description: '', events: ['operation.created'] },
			guard
		);
		expect(refused).toEqual({ ok: false, error: 'private_address' });
		await addEndpoint(['operation.created']);
		await syncPayments(w.db, {
			companyId: w.company,
			deviceId: DEVICE,
			createdBy: null,
			operations: [payment()]
		});
		await drain({ ...worker, allowPrivate: false, retrySchedule: [] });
		expect(w.receiver.received).toHaveLength(0);
		const attempt = await w.db.selectFrom('webhook_attempts').selectAll().executeTakeFirstOrThrow();
		expect(attempt.error).toMatch(/not_https|private_address/);
	});
});

describe('platform endpoints and the OpenAPI section', () => {
	it('the operator’s endpoint gets statement.closed of every w.company, companies only their own', async () => {
		const platform = await addEndpoint(['company.approved', 'statement.closed'], null);
		const refused = await createEndpoint(
			w.db,
			KEY,
			{ scope: null, url: w.receiver.url, description: '', events: ['operation.created'] },
			ALLOW
		);
		expect(refused).toEqual({ ok: false, error: 'unknown_event' });
		const { recordEvent } = await import('../../server/repositories/webhook-outbox');
		await w.db.transaction().execute((trx) =>
			recordEvent(trx, {
				companyId: w.other,
				type: 'statement.closed',
				data: {
					companyId: w.other,
					month: '2026-10',
					closedAt: new Date().toISOString(),
					netKopecks: 1,
					sha256: 'x'
				}
			})
		);
		await drain();
		expect(w.receiver.received.map((r) => verified(platform.secret, r).type)).toEqual([
			'statement.closed'
		]);
	});

	it('the routers: a w.company sees only its own endpoints, the operator only platform ones', async () => {
		const { callerAs, insertUser } = await import('./support/fixtures');
		const admin = await callerAs(w.db, await insertUser(w.db, 'company', { companyId: w.company }));
		const stranger = await callerAs(
			w.db,
			await insertUser(w.db, 'company', { companyId: w.other })
		);
		const operator = await callerAs(w.db, await insertUser(w.db, 'operator'));
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
