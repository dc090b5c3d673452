import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import * as pendingCancellations from '../../migrations/0033_pending_cancellations';
import { setProgramRules } from '../../server/repositories/program-rules';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { useTestDatabase } from './support/db';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';

/**
 * 0033_pending_cancellations on a database with data (it had only run on empty ones): payments
 * synced under a hold, partly refunded (their pending cashback partly cancelled), then the
 * migration taken back to 0032's schema and run again. Its back-fill must give each cancelled
 * pending row one cancellation of exactly its cancelled sum, attributed to its payment's latest
 * refund, and each pending row its operation's time.
 */
const t = useTestDatabase();

describe('0033_pending_cancellations on existing data', () => {
	it('back-fills the cancellations and the operations’ times from the ledger', async () => {
		await insertCustomer(t.db, '123455', 'Иванов Иван');
		await setProgramRules(t.db, { holdDays: 14, expiryMonths: 0, userId: null });
		const companyId = await insertCompany(t.db, { rateBp: 1000 });
		const api = await callerAs(t.db, await insertUser(t.db, 'company', { companyId }));
		const { deviceId } = await api.devices.register({ name: 'Касса 1' });
		const at = Date.now() - 120_000;
		const ids = [uuidv7(at), uuidv7(at + 1000), uuidv7(at + 2000)];
		const answers = await api.payments.sync({
			deviceId,
			operations: ids.map((id, i) => ({
				id,
				customerId: '123455',
				amountKopecks: 1000_00 * (i + 1),
				occurredAt: new Date(at + i * 1000).toISOString()
			}))
		});
		expect(answers.map((a) => a.outcome)).toEqual(['accepted', 'accepted', 'accepted']);
		// The first: two partial refunds; the second: refunded whole; the third: untouched.
		for (const [id, amountKopecks] of [
			[ids[0]!, 300_00],
			[ids[0]!, 200_00],
			[ids[1]!, undefined]
		] as const) {
			const refunded = await api.companies.refund({
				operationId: id,
				reason: 'Возврат',
				amountKopecks
			});
			expect(refunded).toMatchObject({ ok: true });
		}

		const pendingRows = () =>
			sql<{ operation_id: string; cancelled_kopecks: string; occurred: Date | null }>`
				select operation_id, cancelled_kopecks, operation_occurred_at as occurred
				from pending_cashback where company_id = ${companyId} order by operation_id`.execute(t.db);
		const before = (await pendingRows()).rows;
		expect(before.map((r) => Number(r.cancelled_kopecks))).toEqual([50_00, 200_00, 0]);

		await pendingCancellations.down(t.db as never);
		await pendingCancellations.up(t.db as never);

		const after = (await pendingRows()).rows;
		expect(after.map((r) => [r.operation_id, Number(r.cancelled_kopecks)])).toEqual(
			before.map((r) => [r.operation_id, Number(r.cancelled_kopecks)])
		);
		expect(after.map((r) => r.occurred?.getTime())).toEqual([at, at + 1000, at + 2000]);

		const cancellations = await sql<{ operation_id: string; refund_id: string; kopecks: string }>`
			select c.operation_id, c.refund_id, c.kopecks from pending_cancellations c
			join pending_cashback p using (operation_id)
			where p.company_id = ${companyId} order by c.operation_id`.execute(t.db);
		const latestRefund = async (paymentId: string) =>
			(
				await sql<{ id: string }>`select id from operations
					where reverses_id = ${paymentId} and kind = 'refund'
					order by recorded_at desc, id desc limit 1`.execute(t.db)
			).rows[0]!.id;
		expect(cancellations.rows.map((c) => [c.operation_id, c.refund_id, Number(c.kopecks)])).toEqual(
			[
				[ids[0], await latestRefund(ids[0]!), 50_00],
				[ids[1], await latestRefund(ids[1]!), 200_00]
			]
		);
	});
});
