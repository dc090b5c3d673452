import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../server/auth/session';
import { syncPayments } from '../../server/services/payment-sync';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { useTestDatabase } from './support/db';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';

/**
 * Issue 18, item 7: operation IDs are checked where they come in. A new ID that is not a UUID
 * v7 (nil, max, v4) or whose time lies beyond an operation's own bounds (a 2030 ID) is
 * `rejected` with a reason and never stored — so it can no longer sit in `operations_default`
 * and hold up its year's partition; an ID already stored still gets its original answer.
 */
const t = useTestDatabase({ truncate: true });
let user: SessionUser;
let companyId: number;
let deviceId: string;

const NIL = '00000000-0000-0000-0000-000000000000';
const MAX = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
const V4 = '9b2f3c4e-1d2a-4f6b-8c9d-0e1f2a3b4c5d';
const IN_2030 = uuidv7(Date.UTC(2030, 0, 15));

beforeEach(async () => {
	await insertCustomer(t.db, '123455', 'Иванов Иван');
	companyId = await insertCompany(t.db, { rateBp: 1000, rateFrom: new Date('2020-01-01') });
	user = await insertUser(t.db, 'company', { companyId });
	({ deviceId } = await (await callerAs(t.db, user)).devices.register({ name: 'Касса 1' }));
});

const op = (id: string, occurredAt = new Date(Date.now() - 60_000)) => ({
	id,
	customerId: '123455',
	amountKopecks: 100_000,
	occurredAt: occurredAt.toISOString()
});

async function storedCount() {
	const rows = await t.db.selectFrom('operations').select('id').execute();
	return rows.length;
}

describe('operation IDs at payments.sync', () => {
	it('rejects a 2030 UUID v7, the nil and max UUIDs and a v4, storing none of them', async () => {
		const good = uuidv7();
		const answers = await (
			await callerAs(t.db, user)
		).payments.sync({
			deviceId,
			operations: [
				op(IN_2030),
				op(NIL),
				op(MAX),
				op(V4),
				op(uuidv7(Date.now() - 40 * 86_400_000)),
				op(good)
			]
		});
		expect(answers.map((a) => (a.outcome === 'rejected' ? a.reason : a.outcome))).toEqual([
			'operation_id_out_of_range',
			'bad_operation_id',
			'bad_operation_id',
			'bad_operation_id',
			'operation_id_out_of_range',
			'accepted'
		]);
		expect(answers.map((a) => a.id)).toEqual([IN_2030, NIL, MAX, V4, answers[4]!.id, good]);
		expect(await storedCount()).toBe(1);
	});

	it('a retry of an ID stored before the check gets its original answer', async () => {
		// Stored when that ID was within bounds (the server's clock in 2030).
		const then = new Date(Date.UTC(2030, 0, 15, 0, 1));
		const early = op(IN_2030, new Date(then.getTime() - 30_000));
		const [first] = await syncPayments(t.db, {
			companyId,
			deviceId,
			operations: [early],
			createdBy: user.id,
			now: then
		});
		expect(first).toMatchObject({ outcome: 'accepted' });
		const [again] = await (
			await callerAs(t.db, user)
		).payments.sync({ deviceId, operations: [early] });
		expect(again).toMatchObject({ id: IN_2030, outcome: 'duplicate' });
		const [other] = await (
			await callerAs(t.db, user)
		).payments.sync({ deviceId, operations: [{ ...early, amountKopecks: 1 }] });
		expect(other).toEqual({ id: IN_2030, outcome: 'conflict' });
	});
});

describe('operation IDs at payments.redeem', () => {
	it('rejects the nil UUID and a 2030 UUID v7 before anything else is looked at', async () => {
		const caller = await callerAs(t.db, user);
		const redeem = (id: string) =>
			caller.payments.redeem({
				id,
				deviceId,
				customerId: '123455',
				code: '000000',
				billKopecks: 100_000,
				redeemKopecks: 1_000,
				occurredAt: new Date().toISOString()
			});
		expect(await redeem(NIL)).toEqual({ outcome: 'rejected', reason: 'bad_operation_id' });
		expect(await redeem(MAX)).toEqual({ outcome: 'rejected', reason: 'bad_operation_id' });
		expect(await redeem(IN_2030)).toEqual({
			outcome: 'rejected',
			reason: 'operation_id_out_of_range'
		});
		expect(await storedCount()).toBe(0);
	});
});
