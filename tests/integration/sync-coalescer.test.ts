/**
 * The coalescer's scheduling (services/sync-coalescer.ts): a call alone starts at once, calls
 * that arrive while the transactions are busy share the next one, and a group that fails
 * leaves each of its calls to run alone, so one call's failure is its own.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { listBalanceMismatches } from '../../server/repositories/balances';
import { syncGroupFallbacks, syncGroupSize } from '../../server/observability/metrics';
import type { SyncCall } from '../../server/services/payment-sync';
import { SyncCoalescer } from '../../server/services/sync-coalescer';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { useTestDatabase } from './support/db';
import { insertCompany, insertCustomer, insertTerminal } from './support/fixtures';

const CUSTOMERS = ['123455', '765438', '555550', '900002'];

const t = useTestDatabase({ truncate: true });
const CUSTOMER = '123455';

async function counters(n: number) {
	const companyId = await insertCompany(t.db, { rateBp: 1000 });
	await insertCustomer(t.db, CUSTOMER);
	const devices = [];
	for (let i = 0; i < n; i++) devices.push((await insertTerminal(t.db, companyId)).deviceId);
	return devices.map((deviceId): SyncCall => ({
		companyId,
		deviceId,
		createdBy: null,
		operations: [0, 1].map(() => ({
			id: uuidv7(),
			customerId: CUSTOMER,
			amountKopecks: 100_00,
			occurredAt: new Date(Date.now() - 60_000).toISOString()
		}))
	}));
}

/** Groups formed and calls grouped since the last look, from the process's histogram. */
async function groupsSeen() {
	const value = await syncGroupSize.get();
	const sum = value.values.find((v) => v.metricName === 'kopek_sync_group_calls_sum')?.value ?? 0;
	const count =
		value.values.find((v) => v.metricName === 'kopek_sync_group_calls_count')?.value ?? 0;
	return { groups: count, calls: sum };
}

async function fallbacks() {
	return (await syncGroupFallbacks.get()).values[0]?.value ?? 0;
}

async function storedCount() {
	const row = await t.db
		.selectFrom('operations')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

describe('the sync coalescer', () => {
	it('starts a call at once when a transaction is free, and groups the calls that wait', async () => {
		const calls = await counters(6);
		const coalescer = new SyncCoalescer(t.db, { inFlight: 1, calls: 32, operations: 1000 });
		const before = await groupsSeen();
		const answers = await Promise.all(calls.map((call) => coalescer.sync(call)));
		const after = await groupsSeen();
		// The first ran alone; the five that arrived meanwhile went together.
		expect({ groups: after.groups - before.groups, calls: after.calls - before.calls }).toEqual({
			groups: 2,
			calls: 6
		});
		expect(answers.flat().map((a) => a.outcome)).toEqual(Array(12).fill('accepted'));
		answers.forEach((answer, i) =>
			expect(answer.map((a) => a.id)).toEqual(calls[i]!.operations.map((op) => op.id))
		);
		expect(await storedCount()).toBe(12);
	});

	it('keeps a group within its limits of calls and operations', async () => {
		const calls = await counters(7);
		// Two operations a call, at most five a group: the six waiting go two by two.
		const coalescer = new SyncCoalescer(t.db, { inFlight: 1, calls: 32, operations: 5 });
		const before = await groupsSeen();
		await Promise.all(calls.map((call) => coalescer.sync(call)));
		const after = await groupsSeen();
		expect(after.groups - before.groups).toBe(4);
		expect(await storedCount()).toBe(14);
	});

	it('runs each call of a failed group alone: only the faulty call fails', async () => {
		const calls = await counters(4);
		// Not a UUID: the group's statement fails on it, and so does that call alone.
		const faulty: SyncCall = { ...calls[2]!, deviceId: 'not-a-uuid' };
		const coalescer = new SyncCoalescer(t.db, { inFlight: 1, calls: 32, operations: 1000 });
		const before = await fallbacks();
		const settled = await Promise.allSettled(
			[calls[0]!, calls[1]!, faulty, calls[3]!].map((call) => coalescer.sync(call))
		);
		expect(settled.map((s) => s.status)).toEqual([
			'fulfilled',
			'fulfilled',
			'rejected',
			'fulfilled'
		]);
		expect(await fallbacks()).toBe(before + 1);
		expect(await storedCount()).toBe(6);
	});

	it('answers a retry of a group stored before its answer was lost with duplicates', async () => {
		const calls = await counters(3);
		const coalescer = new SyncCoalescer(t.db, { inFlight: 1, calls: 32, operations: 1000 });
		await Promise.all(calls.map((call) => coalescer.sync(call)));
		const again = await Promise.all(calls.map((call) => coalescer.sync(call)));
		expect(again.flat().map((a) => a.outcome)).toEqual(Array(6).fill('duplicate'));
		expect(await storedCount()).toBe(6);
	});

	it('keeps every operation once under concurrent groups from two processes', async () => {
		// Two coalescers on one database, as two server processes; many counters whose calls
		// overlap (the same customers, and each call sent twice, once through each process, as
		// a counter retrying through the other instance would).
		const companyId = await insertCompany(t.db, { rateBp: 1000 });
		for (const id of CUSTOMERS) await insertCustomer(t.db, id);
		const devices = [];
		for (let i = 0; i < 24; i++) devices.push((await insertTerminal(t.db, companyId)).deviceId);
		const calls: SyncCall[] = devices.flatMap((deviceId, d) =>
			[0, 1, 2].map(() => ({
				companyId,
				deviceId,
				createdBy: null,
				operations: [0, 1, 2].map((o) => ({
					id: uuidv7(),
					customerId: CUSTOMERS[(d + o) % CUSTOMERS.length]!,
					amountKopecks: 100_00 + d * 100 + o,
					occurredAt: new Date(Date.now() - (d + 1) * 60_000).toISOString()
				}))
			}))
		);
		const processes = [0, 1].map(
			() => new SyncCoalescer(t.db, { inFlight: 4, calls: 32, operations: 1000 })
		);
		const fell = await fallbacks();
		const answers = await Promise.all(
			[...calls, ...calls.slice().reverse()].map((call, i) => processes[i % 2]!.sync(call))
		);
		const outcomes = answers.flat().map((a) => a.outcome);
		const ids = calls.flatMap((call) => call.operations.map((op) => op.id));
		// Each ID accepted by exactly one of its two calls, the other a duplicate.
		expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(ids.length);
		expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(ids.length);
		expect(await storedCount()).toBe(ids.length);
		// No group failed: they lock devices, operations, balances and summaries in one order.
		expect(await fallbacks()).toBe(fell);
		expect(await listBalanceMismatches(t.db)).toEqual([]);
		const totals = await sql<{ ledger: string; summaries: string }>`
			select (select sum(amount_kopecks) from operations)::text as ledger,
				(select sum(payment_amount_kopecks) from company_day_summaries)::text as summaries`.execute(t.db);
		expect(totals.rows[0]!.summaries).toBe(totals.rows[0]!.ledger);
	});
});
