import { TRPCError } from '@trpc/server';
import type { Kysely } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../server/auth/session';
import type { Database } from '../../server/db/types';
import type { SyncOutcome } from '../../server/services/payment-sync';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { createCaller } from '../../server/root';
import { useTestDatabase } from './support/db';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';

const t = useTestDatabase({ truncate: true });
let company: { id: number; user: SessionUser; deviceId: string };

const IVANOV = '123455';
const PETROVA = '765438';

async function setUpCompany(db: Kysely<Database>, options: { status?: 'active' | 'pending' } = {}) {
	const id = await insertCompany(db, { rateBp: 1000, status: options.status ?? 'active' });
	const user = await insertUser(db, 'company', { companyId: id });
	const { deviceId } = await (await callerAs(db, user)).devices.register({ name: 'Касса 1' });
	return { id, user, deviceId };
}

function op(
	overrides: Partial<{
		id: string;
		customerId: string;
		amountKopecks: number;
		occurredAt: string;
	}> = {}
) {
	return {
		id: uuidv7(),
		customerId: IVANOV,
		amountKopecks: 100_000,
		occurredAt: new Date(Date.now() - 60_000).toISOString(),
		...overrides
	};
}

async function sync(
	user: SessionUser,
	deviceId: string,
	operations: ReturnType<typeof op>[]
): Promise<SyncOutcome[]> {
	return (await callerAs(t.db, user)).payments.sync({ deviceId, operations });
}

async function countRows(ids: string[]) {
	const row = await t.db
		.selectFrom('operations')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('id', 'in', ids)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

function operationOf(outcome: SyncOutcome | undefined) {
	if (!outcome || (outcome.outcome !== 'accepted' && outcome.outcome !== 'duplicate'))
		throw new Error(`expected a stored operation, got ${JSON.stringify(outcome)}`);
	return outcome.operation;
}

beforeEach(async () => {
	await insertCustomer(t.db, IVANOV, 'Иванов Иван');
	await insertCustomer(t.db, PETROVA, 'Петрова Мария');
	company = await setUpCompany(t.db);
});

describe('payments.sync: exactly once', () => {
	it('stores a batch sent three times in sequence once, with the same answers', async () => {
		const batch = [op(), op({ customerId: PETROVA, amountKopecks: 12_345 }), op()];
		const answers = [];
		for (let i = 0; i < 3; i++) answers.push(await sync(company.user, company.deviceId, batch));

		expect(answers[0]!.map((a) => a.outcome)).toEqual(['accepted', 'accepted', 'accepted']);
		expect(answers[1]!.map((a) => a.outcome)).toEqual(['duplicate', 'duplicate', 'duplicate']);
		expect(answers[2]).toEqual(answers[1]);
		expect(answers[1]!.map(operationOf)).toEqual(answers[0]!.map(operationOf));
		expect(await countRows(batch.map((o) => o.id))).toBe(3);
		expect(operationOf(answers[0]![1])).toMatchObject({
			amountKopecks: 12_345,
			rateBp: 1000,
			cashbackKopecks: 1235
		});
		// No customer name in a sync answer (SPEC C16): the counter names them from its lookup.
		expect(JSON.stringify(answers)).not.toContain('Петрова');
	});

	it('stores a batch sent three times concurrently once: one acceptance per operation', async () => {
		const batch = Array.from({ length: 50 }, (_, i) =>
			op({ amountKopecks: 1000 + i, customerId: i % 2 ? IVANOV : PETROVA })
		);
		// A shuffled copy too: concurrent batches in different orders must not deadlock.
		const shuffled = [...batch].reverse();
		const answers = await Promise.all([
			sync(company.user, company.deviceId, batch),
			sync(company.user, company.deviceId, shuffled),
			sync(company.user, company.deviceId, batch)
		]);
		expect(await countRows(batch.map((o) => o.id))).toBe(50);
		for (const sent of batch) {
			const mine = answers.map((a) => a.find((o) => o.id === sent.id)!);
			expect(mine.filter((o) => o.outcome === 'accepted')).toHaveLength(1);
			expect(mine.filter((o) => o.outcome === 'duplicate')).toHaveLength(2);
			const [first, ...rest] = mine.map(operationOf);
			for (const other of rest) expect(other).toEqual(first);
		}
	});

	it('answers in the order sent, one outcome per operation', async () => {
		const batch = [op(), op({ customerId: '111111' }), op({ amountKopecks: 0 }), op()];
		const answer = await sync(company.user, company.deviceId, batch);
		expect(answer.map((a) => a.id)).toEqual(batch.map((o) => o.id));
	});
});

describe('payments.sync: conflicts', () => {
	it('refuses the same ID with another amount and keeps the stored row', async () => {
		const first = op({ amountKopecks: 50_000 });
		await sync(company.user, company.deviceId, [first]);
		const before = await t.db
			.selectFrom('operations')
			.selectAll()
			.where('id', '=', first.id)
			.executeTakeFirstOrThrow();

		const [answer] = await sync(company.user, company.deviceId, [
			{ ...first, amountKopecks: 60_000 }
		]);
		expect(answer).toEqual({ id: first.id, outcome: 'conflict' });
		const after = await t.db
			.selectFrom('operations')
			.selectAll()
			.where('id', '=', first.id)
			.executeTakeFirstOrThrow();
		expect(after).toEqual(before);
	});

	it('answers conflict for an ID another company used, and tells nothing about it', async () => {
		const other = await setUpCompany(t.db);
		const theirs = op({ customerId: PETROVA, amountKopecks: 777_77 });
		await sync(other.user, other.deviceId, [theirs]);

		const answer = await sync(company.user, company.deviceId, [{ ...theirs }]);
		expect(answer).toEqual([{ id: theirs.id, outcome: 'conflict' }]);
		expect(JSON.stringify(answer)).not.toMatch(/Петрова|77777|7778/);
		const stored = await t.db
			.selectFrom('operations')
			.selectAll()
			.where('id', '=', theirs.id)
			.executeTakeFirstOrThrow();
		expect(stored.company_id).toBe(other.id);
	});

	it('treats a repeated ID inside one batch as a duplicate, or a conflict when it differs', async () => {
		const a = op();
		const answer = await sync(company.user, company.deviceId, [
			a,
			{ ...a },
			{ ...a, amountKopecks: 1 }
		]);
		expect(answer.map((o) => o.outcome)).toEqual(['accepted', 'duplicate', 'conflict']);
		expect(await countRows([a.id])).toBe(1);
	});

	it('still answers duplicate to a retry after the company stopped being active', async () => {
		const a = op();
		await sync(company.user, company.deviceId, [a]);
		await t.db
			.updateTable('companies')
			.set({ status: 'rejected' })
			.where('id', '=', company.id)
			.execute();
		const [answer] = await sync(company.user, company.deviceId, [a]);
		expect(answer?.outcome).toBe('duplicate');
	});
});

describe('payments.sync: rejections never hold back the others', () => {
	it('accepts the others around an unknown customer', async () => {
		const batch = [op(), op({ customerId: '111111' }), op({ customerId: PETROVA })];
		const answer = await sync(company.user, company.deviceId, batch);
		expect(answer.map((o) => o.outcome)).toEqual(['accepted', 'rejected', 'accepted']);
		expect(answer[1]).toEqual({
			id: batch[1]!.id,
			outcome: 'rejected',
			reason: 'unknown_customer'
		});
		expect(await countRows(batch.map((o) => o.id))).toBe(2);
	});

	it('checks the amount bounds: 1 kopeck to 10 000 000 RUB', async () => {
		// Above the money limits' defaults (money-limits.test.ts): the operator raised them.
		await t.db
			.insertInto('company_money_limits')
			.values({
				company_id: company.id,
				max_bill_kopecks: 1_000_000_000,
				max_cashback_kopecks: 100_000_000,
				effective_from: new Date('2000-01-01T00:00:00Z')
			})
			.execute();
		const batch = [0, 1, 1_000_000_000, 1_000_000_001, -5].map((amountKopecks) =>
			op({ amountKopecks })
		);
		const answer = await sync(company.user, company.deviceId, batch);
		expect(answer.map((o) => (o.outcome === 'rejected' ? o.reason : o.outcome))).toEqual([
			'amount_out_of_range',
			'accepted',
			'accepted',
			'amount_out_of_range',
			'amount_out_of_range'
		]);
		expect(operationOf(answer[2]).cashbackKopecks).toBe(100_000_000);
	});

	it('checks the time bounds: 5 minutes ahead, 30 days back', async () => {
		const now = Date.now();
		const at = (ms: number) => new Date(now + ms).toISOString();
		const batch = [
			op({ occurredAt: at(4 * 60_000) }),
			op({ occurredAt: at(6 * 60_000) }),
			op({ occurredAt: at(-29 * 86_400_000) }),
			op({ occurredAt: at(-31 * 86_400_000) })
		];
		const answer = await sync(company.user, company.deviceId, batch);
		expect(answer.map((o) => (o.outcome === 'rejected' ? o.reason : o.outcome))).toEqual([
			'accepted',
			'occurred_in_future',
			'accepted',
			'too_old'
		]);
	});

	it('refuses an unregistered or another company’s terminal', async () => {
		const other = await setUpCompany(t.db);
		for (const deviceId of [other.deviceId, '0190a000-0000-7000-8000-000000000000']) {
			const batch = [op(), op()];
			const answer = await sync(company.user, deviceId, batch);
			expect(answer).toEqual(
				batch.map((o) => ({ id: o.id, outcome: 'rejected', reason: 'device_not_registered' }))
			);
			expect(await countRows(batch.map((o) => o.id))).toBe(0);
		}
	});

	it('refuses every operation of a company that is not active', async () => {
		const pending = await setUpCompany(t.db, { status: 'pending' });
		const answer = await sync(pending.user, pending.deviceId, [op()]);
		expect(answer[0]).toMatchObject({ outcome: 'rejected', reason: 'company_inactive' });
	});
});

describe('payments.sync: the authoritative cashback', () => {
	it('gives each operation the rate in force at its own time', async () => {
		const changeAt = new Date(Date.now() - 3 * 86_400_000);
		await t.db
			.insertInto('company_rates')
			.values({ company_id: company.id, rate_bp: 1500, effective_from: changeAt })
			.execute();
		const before = op({
			occurredAt: new Date(changeAt.getTime() - 1).toISOString(),
			amountKopecks: 10_000
		});
		const exactly = op({ occurredAt: changeAt.toISOString(), amountKopecks: 10_000 });
		const after = op({ amountKopecks: 10_000 });
		const answer = await sync(company.user, company.deviceId, [before, exactly, after]);
		expect(answer.map((o) => operationOf(o).rateBp)).toEqual([1000, 1500, 1500]);
		expect(answer.map((o) => operationOf(o).cashbackKopecks)).toEqual([1000, 1500, 1500]);
		const stored = await t.db
			.selectFrom('operations')
			.select(['id', 'rate_bp', 'cashback_kopecks'])
			.where('id', '=', before.id)
			.executeTakeFirstOrThrow();
		expect(stored).toEqual({ id: before.id, rate_bp: 1000, cashback_kopecks: 1000 });
	});

	it('prices a batch spanning several rate changes, and refuses a time before any rate', async () => {
		const other = await insertCompany(t.db, {
			rateBp: 500,
			rateFrom: new Date(Date.now() - 10 * 86_400_000)
		});
		const user = await insertUser(t.db, 'company', { companyId: other });
		const { deviceId } = await (await callerAs(t.db, user)).devices.register({ name: 'Касса' });
		const day = 86_400_000;
		for (const [daysAgo, rateBp] of [
			[6, 700],
			[3, 0],
			[1, 10_000]
		] as const) {
			await t.db
				.insertInto('company_rates')
				.values({
					company_id: other,
					rate_bp: rateBp,
					effective_from: new Date(Date.now() - daysAgo * day)
				})
				.execute();
		}
		const at = (daysAgo: number) => new Date(Date.now() - daysAgo * day).toISOString();
		const batch = [12, 8, 5, 2, 0.5].map((daysAgo) =>
			op({ occurredAt: at(daysAgo), amountKopecks: 1000 })
		);
		const answer = await sync(user, deviceId, batch);
		expect(answer[0]).toMatchObject({ outcome: 'rejected', reason: 'company_inactive' });
		expect(answer.slice(1).map((o) => operationOf(o).rateBp)).toEqual([500, 700, 0, 10_000]);
		expect(answer.slice(1).map((o) => operationOf(o).cashbackKopecks)).toEqual([50, 70, 0, 1000]);
	});

	it('rounds half a kopeck up', async () => {
		// 10 % of 5, 15 and 25 kopecks is 0.5, 1.5 and 2.5; 10 % of 4 is 0.4.
		const batch = [5, 15, 25, 4].map((amountKopecks) => op({ amountKopecks }));
		const answer = await sync(company.user, company.deviceId, batch);
		expect(answer.map((o) => operationOf(o).cashbackKopecks)).toEqual([1, 2, 3, 0]);
	});
});

describe('payments.sync: input and bookkeeping', () => {
	it('refuses malformed input as a whole and stores nothing', async () => {
		const good = op();
		const malformed: unknown[] = [
			[good, { ...op(), id: 'not-a-uuid' }],
			[good, { ...op(), amountKopecks: 10.5 }],
			[good, { ...op(), occurredAt: 'yesterday' }],
			[good, { ...op(), customerId: 123455 }],
			[good, ...Array.from({ length: 200 }, () => op())],
			[]
		];
		const caller = await callerAs(t.db, company.user);
		for (const operations of malformed) {
			const error = await caller.payments
				.sync({ deviceId: company.deviceId, operations: operations as ReturnType<typeof op>[] })
				.catch((e: unknown) => e);
			expect(error).toBeInstanceOf(TRPCError);
			expect((error as TRPCError).code).toBe('BAD_REQUEST');
		}
		expect(await countRows([good.id])).toBe(0);
	});

	it('records the terminal’s last sync', async () => {
		const before = Date.now();
		await sync(company.user, company.deviceId, [op()]);
		const devices = await (await callerAs(t.db, company.user)).devices.list();
		expect(devices).toHaveLength(1);
		expect(devices[0]!.lastSyncAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
	});

	it('runs the same few statements for 2 operations as for 200', async () => {
		const counts: number[] = [];
		for (const size of [2, 200]) {
			let statements = 0;
			const counting = t.db.withPlugin({
				transformQuery: (args) => {
					statements++;
					return args.node;
				},
				transformResult: (args) => Promise.resolve(args.result)
			});
			const caller = createCaller({
				db: counting,
				user: company.user,
				session: { id: 'counting', expiresAt: new Date(Date.now() + 60_000) },
				ip: '127.0.0.1'
			});
			await caller.payments.sync({
				deviceId: company.deviceId,
				operations: Array.from({ length: size }, () => op())
			});
			counts.push(statements);
		}
		expect(counts[1]).toBe(counts[0]);
		expect(counts[0]).toBeLessThanOrEqual(8);
	});
});
