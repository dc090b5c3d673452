import { beforeAll, describe, expect, it } from 'vitest';
import { createIntegrationKey } from '../../server/services/integration-keys';
import { useTestDatabase } from './support/db';
import { insertCustomer } from './support/fixtures';
import { codesOf, giveBalance, redeemingShop } from './support/redemption-fixtures';
import { tillClient } from './support/till-api';

/**
 * Refunds by lines through the till API (issue 20, SPEC C13), on both databases: the sale's
 * receipt lines are stored with it, a refund names lines by number and quantity, checked
 * against what was sold and already refunded; amounts and lines mixed stay within the bill.
 * Every answer is checked against the OpenAPI document (support/till-api.ts).
 */
const t = useTestDatabase();
const SIDOROV = '200006';

beforeAll(async () => {
	await insertCustomer(t.db, SIDOROV, 'Сидоров Семён');
	await giveBalance(t.db, SIDOROV, 5_000_00);
});

async function shopWithKey() {
	const shop = await redeemingShop(t.db, { rateBp: 1000, redeemMaxBp: 5000 });
	const created = await createIntegrationKey(t.db, {
		companyId: shop.companyId,
		name: 'Атол',
		terminalId: null,
		userId: shop.user.id
	});
	if (!created.ok) throw new Error('key');
	return { ...shop, call: tillClient(t.db, created.key.secret) };
}

let n = 0;
const idem = () => ({ 'idempotency-key': `lines-${Date.now()}-${n++}` });

// Bill 850,00 (the noCashback line is outside the operation).
const receipt = {
	totalKopecks: 1_000_00,
	lines: [
		{ name: 'Сыр', quantity: 2, priceKopecks: 300_00, amountKopecks: 600_00 },
		{ name: 'Яблоки', quantity: 1.5, priceKopecks: 166_67, amountKopecks: 250_00 },
		{ name: 'Сигареты', quantity: 1, priceKopecks: 150_00, amountKopecks: 150_00, noCashback: true }
	]
};

async function saleWithLines(shop: Awaited<ReturnType<typeof shopWithKey>>, redeem = false) {
	const body = redeem
		? {
				customerId: SIDOROV,
				receipt,
				code: (await codesOf(t.db, SIDOROV))(),
				redeemKopecks: 170_00
			}
		: { customerId: SIDOROV, receipt };
	const sale = await shop.call('POST', '/api/v1/sales', body, idem());
	expect(sale.status).toBe(201);
	return (sale.body.operation as { id: string }).id;
}

describe('refunds by lines', () => {
	it('takes back the named lines by quantity, never past what was sold per line or paid in total', async () => {
		const shop = await shopWithKey();
		const saleId = await saleWithLines(shop, true);
		const refund = (body: unknown) =>
			shop.call('POST', `/api/v1/sales/${saleId}/refunds`, body, idem());
		const r1 = await refund({ lines: [{ line: 1, quantity: 1 }] });
		expect(r1).toMatchObject({
			status: 201,
			body: {
				remainingKopecks: 550_00,
				lines: [{ line: 1, quantity: 1, amountKopecks: 300_00 }],
				// its share of the redeemed part (170,00 of 850,00) and of the cashback (68,00)
				refund: { amountKopecks: -300_00, redeemedKopecks: -60_00, cashbackKopecks: -24_00 }
			}
		});
		expect(await refund({ lines: [{ line: 1, quantity: 1.001 }] })).toMatchObject({
			status: 422,
			body: { code: 'line_over_refund', field: 'lines.0' }
		});
		expect(await refund({ lines: [{ line: 3 }] })).toMatchObject({
			status: 422,
			body: { code: 'line_not_refundable', field: 'lines.0' }
		});
		expect(await refund({ lines: [{ line: 2 }, { line: 9 }] })).toMatchObject({
			status: 422,
			body: { code: 'unknown_line', field: 'lines.1' }
		});
		expect(await refund({ lines: [{ line: 2 }, { line: 2 }] })).toMatchObject({
			status: 422,
			body: { code: 'duplicate_line' }
		});
		expect(await refund({ lines: [{ line: 2, quantity: 0.0005 }] })).toMatchObject({
			status: 422,
			body: { code: 'validation_failed', field: 'lines.0.quantity' }
		});
		// An amount refund of the same sale counts against the total, not against a line.
		expect(await refund({ amountKopecks: 400_00 })).toMatchObject({
			status: 201,
			body: { remainingKopecks: 150_00, lines: [] }
		});
		expect(await refund({ lines: [{ line: 2 }] })).toMatchObject({
			status: 422,
			body: { code: 'over_refund', field: 'lines' }
		});
		expect(await refund({ lines: [{ line: 2, quantity: 0.5 }] })).toMatchObject({
			status: 201,
			body: { remainingKopecks: 66_67, lines: [{ line: 2, quantity: 0.5, amountKopecks: 83_33 }] }
		});
		const stored = await t.db
			.selectFrom('refund_lines')
			.select(['line_no', 'quantity_milli', 'amount_kopecks'])
			.where('operation_id', '=', saleId)
			.orderBy('line_no')
			.execute();
		expect(
			stored.map((r) => [r.line_no, Number(r.quantity_milli), Number(r.amount_kopecks)])
		).toEqual([
			[1, 1000, 300_00],
			[2, 500, 83_33]
		]);
		const rest = await refund({});
		expect(rest).toMatchObject({ status: 201, body: { remainingKopecks: 0 } });
		const sums = await t.db
			.selectFrom('operations')
			.select((eb) => [
				eb.fn.sum<number>('amount_kopecks').as('amount'),
				eb.fn.sum<number>('redeemed_kopecks').as('redeemed'),
				eb.fn.sum<number>('cashback_kopecks').as('cashback')
			])
			.where('reverses_id', '=', saleId)
			.executeTakeFirstOrThrow();
		expect([Number(sums.amount), Number(sums.redeemed), Number(sums.cashback)]).toEqual([
			-850_00, -170_00, -68_00
		]);
	});

	it('concurrent refunds of one line never take back more than was sold of it', async () => {
		const shop = await shopWithKey();
		const saleId = await saleWithLines(shop);
		const answers = await Promise.all(
			Array.from({ length: 8 }, () =>
				shop.call(
					'POST',
					`/api/v1/sales/${saleId}/refunds`,
					{ lines: [{ line: 1, quantity: 0.5 }] },
					idem()
				)
			)
		);
		const statuses = answers.map((a) => a.status).sort();
		expect(statuses).toEqual([201, 201, 201, 201, 422, 422, 422, 422]);
		for (const a of answers.filter((x) => x.status === 422))
			expect(a.body.code).toBe('line_over_refund');
		const taken = answers
			.filter((a) => a.status === 201)
			.reduce((s, a) => s + -(a.body.refund as { amountKopecks: number }).amountKopecks, 0);
		expect(taken).toBe(600_00);
	});

	it('a sale sent without lines, or another company’s sale, is not refunded by lines', async () => {
		const shop = await shopWithKey();
		const other = await shopWithKey();
		const bare = await shop.call(
			'POST',
			'/api/v1/sales',
			{ customerId: SIDOROV, receipt: { totalKopecks: 500_00 } },
			idem()
		);
		const bareId = (bare.body.operation as { id: string }).id;
		expect(
			await shop.call('POST', `/api/v1/sales/${bareId}/refunds`, { lines: [{ line: 1 }] }, idem())
		).toMatchObject({ status: 422, body: { code: 'sale_lines_unknown', field: 'lines' } });
		const saleId = await saleWithLines(shop);
		expect(
			await other.call('POST', `/api/v1/sales/${saleId}/refunds`, { lines: [{ line: 1 }] }, idem())
		).toMatchObject({ status: 404, body: { code: 'not_found' } });
		// The lines as stored, numbered from 1, quantities in thousandths.
		const lines = await t.db
			.selectFrom('sale_lines')
			.select(['line_no', 'quantity_milli', 'no_cashback'])
			.where('operation_id', '=', saleId)
			.orderBy('line_no')
			.execute();
		expect(lines.map((l) => [l.line_no, Number(l.quantity_milli), l.no_cashback])).toEqual([
			[1, 2000, false],
			[2, 1500, false],
			[3, 1000, true]
		]);
	});
});
