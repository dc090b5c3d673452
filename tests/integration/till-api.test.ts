import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { handleApiV1 } from '../../server/http/api-v1/handler';
import { prune as pruneIdempotency } from '../../server/repositories/api-idempotency';
import { openApiDocument } from '../../server/http/api-v1/openapi';
import { createIntegrationKey, revokeIntegrationKey } from '../../server/services/integration-keys';
import { useTestDatabase } from './support/db';
import { insertPayment } from './support/cabinets-fixtures';
import { callerAs, insertCustomer, insertUser } from './support/fixtures';
import { codesOf, giveBalance, redeemingShop } from './support/redemption-fixtures';
import { tillClient } from './support/till-api';

/** The till API, /api/v1 (issue 20, SPEC C13), through its handler, on both databases. */
const t = useTestDatabase();
const IVANOV = '123455';
const PETROV = '100008';

beforeAll(async () => {
	await insertCustomer(t.db, IVANOV, 'Иванов Иван');
	await insertCustomer(t.db, PETROV, 'Петров Пётр');
	await giveBalance(t.db, IVANOV, 5_000_00);
});

async function shopWithKey() {
	const shop = await redeemingShop(t.db, { rateBp: 1000, redeemMaxBp: 5000 });
	const created = await createIntegrationKey(t.db, {
		companyId: shop.companyId,
		name: 'Эвотор',
		terminalId: null,
		userId: shop.user.id
	});
	if (!created.ok) throw new Error('key');
	return { ...shop, key: created.key, call: tillClient(t.db, created.key.secret) };
}

let n = 0;
const idem = () => ({ 'idempotency-key': `test-${Date.now()}-${n++}` });
const receipt = (totalKopecks: number) => ({ totalKopecks });

describe('OpenAPI document', () => {
	it('is a valid OpenAPI 3.1 document, served at /api/v1/openapi.json without a key', async () => {
		const response = await handleApiV1(t.db, new Request('http://kopek.test/api/v1/openapi.json'));
		expect(response.status).toBe(200);
		const served = await response.json();
		expect(served).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
		const validator = new Validator();
		const result = await validator.validate(served);
		expect(result.errors ?? []).toEqual([]);
		expect(result.valid).toBe(true);
		expect(validator.version).toBe('3.1');
		// The validator is a real one: a broken document fails it.
		const broken = await new Validator().validate({
			...served,
			paths: { '/x': { get: { responses: 'none' } } }
		});
		expect(broken.valid).toBe(false);
	});
});

describe('generated files', () => {
	it('docs/openapi.json (the till simulator’s types come from it) is the served document', () => {
		const committed = JSON.parse(readFileSync('docs/openapi.json', 'utf8'));
		expect(committed, 'run `npm run openapi`').toEqual(
			JSON.parse(JSON.stringify(openApiDocument()))
		);
	});
});

describe('keys', () => {
	it('answers 401 without a key, with a cabinet cookie only, with a wrong or revoked key — at once', async () => {
		const shop = await shopWithKey();
		expect((await tillClient(t.db, null)('GET', `/api/v1/customers/${IVANOV}`)).status).toBe(401);
		const cookieOnly = await tillClient(t.db, null)(
			'GET',
			`/api/v1/customers/${IVANOV}`,
			undefined,
			{
				cookie: 'kopek_session=whatever'
			}
		);
		expect(cookieOnly.status).toBe(401);
		expect(cookieOnly.body).toMatchObject({ code: 'unauthorized' });
		expect(
			(await tillClient(t.db, 'kpk_' + 'x'.repeat(43))('GET', `/api/v1/customers/${IVANOV}`)).status
		).toBe(401);
		const ok = await shop.call('GET', `/api/v1/customers/${IVANOV}`);
		expect(ok).toMatchObject({
			status: 200,
			body: { customerId: IVANOV, name: 'Иванов Иван', balanceKopecks: null }
		});
		const row = await t.db
			.selectFrom('integration_keys')
			.select(['secret_hash', 'last_used_at'])
			.where('id', '=', shop.key.id)
			.executeTakeFirstOrThrow();
		expect(row.secret_hash).not.toContain(shop.key.secret.slice(4));
		expect(row.last_used_at).not.toBeNull();
		expect(shop.key.secret).toMatch(/^kpk_[A-Za-z0-9_-]{43}$/);
		expect(
			await revokeIntegrationKey(t.db, {
				companyId: shop.companyId,
				keyId: shop.key.id,
				userId: null
			})
		).toEqual({ ok: true });
		expect((await shop.call('GET', `/api/v1/customers/${IVANOV}`)).status).toBe(401);
		expect(
			(await shop.call('POST', '/api/v1/quotes', { receipt: receipt(100_00) }, idem())).status
		).toBe(401);
	});

	it('a key of company A sees nothing of company B', async () => {
		const a = await shopWithKey();
		const b = await shopWithKey();
		const sale = await b.call(
			'POST',
			'/api/v1/sales',
			{ customerId: PETROV, receipt: receipt(300_00) },
			idem()
		);
		expect(sale.status).toBe(201);
		const saleId = (sale.body.operation as { id: string }).id;
		const refund = await a.call('POST', `/api/v1/sales/${saleId}/refunds`, {}, idem());
		expect(refund).toMatchObject({ status: 404, body: { code: 'not_found' } });
		const since = new Date(Date.now() - 3_600_000).toISOString();
		const listA = await a.call('GET', `/api/v1/operations?since=${encodeURIComponent(since)}`);
		expect((listA.body.operations as unknown[]).length).toBe(0);
		const listB = await b.call('GET', `/api/v1/operations?since=${encodeURIComponent(since)}`);
		expect((listB.body.operations as { id: string }[]).map((o) => o.id)).toEqual([saleId]);
		// Revoking B's key from company A does nothing.
		expect(
			await revokeIntegrationKey(t.db, { companyId: a.companyId, keyId: b.key.id, userId: null })
		).toEqual({ ok: false });
	});
});

describe('«Интеграции» in the cabinets', () => {
	it('the admin lists its own keys with last use; the operator sees each company’s; no secret anywhere', async () => {
		const a = await shopWithKey();
		const b = await shopWithKey();
		await a.call('GET', `/api/v1/customers/${IVANOV}`);
		const mine = await a.api.integrations.list();
		expect(mine.map((k) => k.id)).toEqual([a.key.id]);
		expect(mine[0]!.lastUsedAt).not.toBeNull();
		expect(JSON.stringify(mine)).not.toContain(a.key.secret.slice(10));
		const operator = await callerAs(t.db, await insertUser(t.db, 'operator'));
		const theirs = await operator.integrations.operatorList({ companyId: b.companyId });
		expect(theirs.map((k) => [k.id, k.name, k.lastUsedAt])).toEqual([[b.key.id, 'Эвотор', null]]);
		expect(JSON.stringify(theirs)).not.toContain(b.key.secret.slice(10));
		// Created through the cabinet: the secret is answered once, then never again.
		const created = await a.api.integrations.create({ name: 'Вторая касса' });
		expect(created).toMatchObject({ ok: true, key: { secret: expect.stringMatching(/^kpk_/) } });
		const revoked = await a.api.integrations.revoke({ keyId: b.key.id });
		expect(revoked).toEqual({ ok: false });
	});
});

describe('idempotency', () => {
	it('20 concurrent identical POSTs → one operation; the same key with another body → 409', async () => {
		const shop = await shopWithKey();
		const headers = idem();
		const body = { customerId: PETROV, receipt: receipt(777_00) };
		const answers = await Promise.all(
			Array.from({ length: 20 }, () => shop.call('POST', '/api/v1/sales', body, headers))
		);
		const ids = new Set(answers.map((a) => (a.body.operation as { id: string }).id));
		expect(ids.size).toBe(1);
		// The stored answer, status and all, replayed to the other 19.
		expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
		expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
		const rows = await t.db
			.selectFrom('operations')
			.select('id')
			.where('company_id', '=', shop.companyId)
			.execute();
		expect(rows).toHaveLength(1);
		const other = await shop.call(
			'POST',
			'/api/v1/sales',
			{ ...body, receipt: receipt(778_00) },
			headers
		);
		expect(other).toMatchObject({ status: 409, body: { code: 'idempotency_key_reused' } });
		// Key order and spacing do not make another body.
		const same = await shop.call(
			'POST',
			'/api/v1/sales',
			{ receipt: receipt(777_00), customerId: PETROV },
			headers
		);
		expect(same.status).toBe(201);
	});

	it('keeps stored answers for a week (pruned daily), not for ever', async () => {
		const shop = await shopWithKey();
		const headers = idem();
		expect(
			(await shop.call('POST', '/api/v1/quotes', { receipt: receipt(5_00) }, headers)).status
		).toBe(200);
		await sql`update api_idempotency set created_at = now() - interval '8 days'
			where idempotency_key = ${headers['idempotency-key']}`.execute(t.db);
		await pruneIdempotency(t.db, 7);
		const left = await t.db
			.selectFrom('api_idempotency')
			.select('idempotency_key')
			.where('key_id', '=', shop.key.id)
			.execute();
		expect(left).toEqual([]);
	});

	it('requires an Idempotency-Key of at most 128 characters on every POST', async () => {
		const shop = await shopWithKey();
		expect(
			(await shop.call('POST', '/api/v1/quotes', { receipt: receipt(1_00) })).body
		).toMatchObject({ code: 'missing_idempotency_key' });
		const long = await shop.call(
			'POST',
			'/api/v1/quotes',
			{ receipt: receipt(1_00) },
			{ 'idempotency-key': 'k'.repeat(129) }
		);
		expect(long).toMatchObject({ status: 400, body: { code: 'idempotency_key_too_long' } });
		const max = await shop.call(
			'POST',
			'/api/v1/quotes',
			{ receipt: receipt(1_00) },
			{ 'idempotency-key': 'k'.repeat(128) }
		);
		expect(max.status).toBe(200);
	});
});

describe('quote, sale, refund', () => {
	it('quotes with per-line discounts that add up to the redeemed sum', async () => {
		const shop = await shopWithKey();
		const code = (await codesOf(t.db, IVANOV))();
		const lines = [
			{ name: 'Хлеб', quantity: 1, priceKopecks: 333_33, amountKopecks: 333_33 },
			{ name: 'Сыр', quantity: 3, priceKopecks: 111_11, amountKopecks: 333_33 },
			{ name: 'Табак', quantity: 1, priceKopecks: 200_00, amountKopecks: 200_00, noCashback: true },
			{ name: 'Акция', quantity: 1, priceKopecks: 133_34, amountKopecks: 133_34, noRedeem: true }
		];
		const q = await shop.call(
			'POST',
			'/api/v1/quotes',
			{
				customerId: IVANOV,
				code,
				receipt: { totalKopecks: 1_000_00, lines },
				redeemKopecks: 100_01
			},
			idem()
		);
		expect(q.status).toBe(200);
		expect(q.body).toMatchObject({
			billKopecks: 800_00,
			rateBp: 1000,
			redeemKopecks: 100_01,
			payKopecks: 899_99,
			cashbackKopecks: 70_00
		});
		const discounts = (q.body.lines as { discountKopecks: number }[]).map((l) => l.discountKopecks);
		expect(discounts.reduce((a, b) => a + b, 0)).toBe(100_01);
		expect(discounts.slice(2)).toEqual([0, 0]);
		expect(q.body.maxRedeemKopecks).toBe(400_00);
		const over = await shop.call(
			'POST',
			'/api/v1/quotes',
			{
				customerId: IVANOV,
				code,
				receipt: { totalKopecks: 1_000_00, lines },
				redeemKopecks: 400_01
			},
			idem()
		);
		expect(over).toMatchObject({
			status: 422,
			body: { code: 'over_limit', field: 'redeemKopecks' }
		});
		const noCode = await shop.call(
			'POST',
			'/api/v1/quotes',
			{ receipt: receipt(1_000_00), redeemKopecks: 1 },
			idem()
		);
		expect(noCode).toMatchObject({ status: 422, body: { code: 'code_required', field: 'code' } });
		const bad = await shop.call(
			'POST',
			'/api/v1/quotes',
			{ receipt: { totalKopecks: -1 } },
			idem()
		);
		expect(bad).toMatchObject({
			status: 422,
			body: { code: 'validation_failed', field: 'receipt.totalKopecks' }
		});
	});

	it('records a sale with redemption (the code once), then partial refunds that sum to the whole', async () => {
		const shop = await shopWithKey();
		const code = (await codesOf(t.db, IVANOV))();
		const balanceBefore = Number(
			(
				await t.db
					.selectFrom('customer_balances')
					.select('balance_kopecks')
					.where('customer_id', '=', IVANOV)
					.executeTakeFirstOrThrow()
			).balance_kopecks
		);
		const sale = await shop.call(
			'POST',
			'/api/v1/sales',
			{ customerId: IVANOV, code, receipt: receipt(1_000_00), redeemKopecks: 200_00 },
			idem()
		);
		expect(sale).toMatchObject({
			status: 201,
			body: {
				outcome: 'accepted',
				payKopecks: 800_00,
				operation: {
					kind: 'payment',
					amountKopecks: 1_000_00,
					redeemedKopecks: 200_00,
					cashbackKopecks: 80_00
				}
			}
		});
		expect(sale.body.balanceKopecks).toBe(balanceBefore - 200_00 + 80_00);
		const again = await shop.call(
			'POST',
			'/api/v1/sales',
			{ customerId: IVANOV, code, receipt: receipt(500_00), redeemKopecks: 100_00 },
			idem()
		);
		expect(again).toMatchObject({ status: 422, body: { code: 'code_used', field: 'code' } });
		const saleId = (sale.body.operation as { id: string }).id;
		const r1 = await shop.call(
			'POST',
			`/api/v1/sales/${saleId}/refunds`,
			{ amountKopecks: 250_00 },
			idem()
		);
		expect(r1).toMatchObject({
			status: 201,
			body: {
				remainingKopecks: 750_00,
				refund: {
					amountKopecks: -250_00,
					redeemedKopecks: -50_00,
					cashbackKopecks: -20_00,
					reversesId: saleId
				}
			}
		});
		const r2 = await shop.call(
			'POST',
			`/api/v1/sales/${saleId}/refunds`,
			{ amountKopecks: 333_33 },
			idem()
		);
		expect(r2).toMatchObject({ status: 201, body: { remainingKopecks: 416_67 } });
		const tooMuch = await shop.call(
			'POST',
			`/api/v1/sales/${saleId}/refunds`,
			{ amountKopecks: 416_68 },
			idem()
		);
		expect(tooMuch).toMatchObject({
			status: 422,
			body: { code: 'over_refund', field: 'amountKopecks' }
		});
		const rest = await shop.call('POST', `/api/v1/sales/${saleId}/refunds`, {}, idem());
		expect(rest).toMatchObject({ status: 201, body: { remainingKopecks: 0 } });
		const refunds = await t.db
			.selectFrom('operations')
			.select(['amount_kopecks', 'cashback_kopecks', 'redeemed_kopecks'])
			.where('reverses_id', '=', saleId)
			.execute();
		expect(refunds.reduce((s, r) => s + Number(r.amount_kopecks), 0)).toBe(-1_000_00);
		expect(refunds.reduce((s, r) => s + Number(r.redeemed_kopecks), 0)).toBe(-200_00);
		expect(refunds.reduce((s, r) => s + Number(r.cashback_kopecks), 0)).toBe(-80_00);
		const done = await shop.call(
			'POST',
			`/api/v1/sales/${saleId}/refunds`,
			{ amountKopecks: 1 },
			idem()
		);
		expect(done).toMatchObject({ status: 422, body: { code: 'already_refunded' } });
		// The reconciliation list pages through all of it.
		const since = encodeURIComponent(new Date(Date.now() - 60_000).toISOString());
		const seen: string[] = [];
		let cursor: string | null = null;
		do {
			const page = await shop.call(
				'GET',
				`/api/v1/operations?since=${since}&limit=2${cursor ? `&cursor=${cursor}` : ''}`
			);
			seen.push(...(page.body.operations as { kind: string }[]).map((o) => o.kind));
			cursor = page.body.nextCursor as string | null;
		} while (cursor);
		expect(seen).toEqual(['payment', 'refund', 'refund', 'refund']);
	});

	it('every sale outcome: accepted, duplicate (the same ID again), rejected, and a late offline sale', async () => {
		const shop = await shopWithKey();
		const unknown = await shop.call(
			'POST',
			'/api/v1/sales',
			{ customerId: '999992', receipt: receipt(100_00) },
			idem()
		);
		expect(unknown).toMatchObject({
			status: 422,
			body: { code: 'unknown_customer', field: 'customerId' }
		});
		const future = await shop.call(
			'POST',
			'/api/v1/sales',
			{
				customerId: PETROV,
				receipt: receipt(100_00),
				occurredAt: new Date(Date.now() + 3_600_000).toISOString()
			},
			idem()
		);
		expect(future.status).toBe(422);
		expect(['occurred_in_future', 'operation_id_out_of_range']).toContain(future.body.code);
		const offline = await shop.call(
			'POST',
			'/api/v1/sales',
			{
				customerId: PETROV,
				receipt: receipt(100_00),
				occurredAt: new Date(Date.now() - 2 * 86_400_000).toISOString()
			},
			idem()
		);
		expect(offline).toMatchObject({ status: 201, body: { outcome: 'accepted' } });
		const old = await shop.call(
			'POST',
			'/api/v1/sales',
			{
				customerId: PETROV,
				receipt: receipt(100_00),
				occurredAt: new Date(Date.now() - 40 * 86_400_000).toISOString()
			},
			idem()
		);
		expect(old.status).toBe(422);
		// The stored answer lost (an idempotency row pruned): the derived operation ID still makes
		// the repeat a `duplicate` of payments.sync, and other content under it a conflict.
		const headers = idem();
		const at = new Date(Date.now() - 60_000).toISOString();
		const first = await shop.call(
			'POST',
			'/api/v1/sales',
			{ customerId: PETROV, receipt: receipt(123_00), occurredAt: at },
			headers
		);
		expect(first.status).toBe(201);
		await sql`delete from api_idempotency where idempotency_key = ${headers['idempotency-key']}`.execute(
			t.db
		);
		const dup = await shop.call(
			'POST',
			'/api/v1/sales',
			{ customerId: PETROV, receipt: receipt(123_00), occurredAt: at },
			headers
		);
		expect(dup).toMatchObject({ status: 200, body: { outcome: 'duplicate' } });
		await sql`delete from api_idempotency where idempotency_key = ${headers['idempotency-key']}`.execute(
			t.db
		);
		const conflict = await shop.call(
			'POST',
			'/api/v1/sales',
			{ customerId: PETROV, receipt: receipt(124_00), occurredAt: at },
			headers
		);
		expect(conflict).toMatchObject({ status: 409, body: { code: 'operation_conflict' } });
	});
});

describe('sales made elsewhere', () => {
	it('refunds a counter payment of the company too (one payment, one ledger)', async () => {
		const shop = await shopWithKey();
		const paymentId = await insertPayment(t.db, {
			companyId: shop.companyId,
			deviceId: shop.deviceId,
			customerId: PETROV,
			amountKopecks: 100_00,
			rateBp: 1000,
			occurredAt: new Date(Date.now() - 60_000)
		});
		const r = await shop.call(
			'POST',
			`/api/v1/sales/${paymentId}/refunds`,
			{ amountKopecks: 40_00, reason: 'Возврат товара' },
			idem()
		);
		expect(r).toMatchObject({
			status: 201,
			body: { remainingKopecks: 60_00, refund: { cashbackKopecks: -4_00 } }
		});
	});
});
