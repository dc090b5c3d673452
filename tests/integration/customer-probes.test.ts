/**
 * Issue 18, item 1 (SPEC C16): no door reveals a customer to a company that may not look them
 * up. payments.sync answers carry no names, and its unknown customers spend the company's
 * lookup budget (KOPEK_LOOKUPS_PER_MINUTE / _PER_DAY, 60 and 600 by default) like
 * customers.lookup; a batch the budget cannot cover stores nothing and is refused with 429.
 * An honest drain of known customers spends nothing.
 */
import { TRPCError } from '@trpc/server';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { SyncCall, SyncOutcome } from '../../server/services/payment-sync';
import { SyncCoalescer } from '../../server/services/sync-coalescer';
import { LookupThrottled } from '../../server/services/customer-probes';
import { luhnCheckDigit } from '../../src/lib/domain/customer-id';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { insertDevice } from './support/cabinets-fixtures';
import { useTestDatabase } from './support/db';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';

const t = useTestDatabase({ truncate: true });

/** The `n`th valid six-digit customer ID from `from` on (bodies from..from+n, Luhn digit). */
const idOf = (body: number) => `${body}${luhnCheckDigit(String(body))}`;

async function shop() {
	const companyId = await insertCompany(t.db, { rateBp: 500 });
	const deviceId = await insertDevice(t.db, companyId);
	const api = await callerAs(t.db, await insertUser(t.db, 'company', { companyId }));
	return { companyId, deviceId, api };
}

const op = (customerId: string) => ({
	id: uuidv7(),
	customerId,
	amountKopecks: 1,
	occurredAt: new Date(Date.now() - 60_000).toISOString()
});

async function lookupSlots(companyId: number): Promise<number> {
	const row = await t.db
		.selectFrom('rate_events')
		.select((eb) => eb.fn.countAll<string>().as('n'))
		.where('scope', '=', 'customer_lookup')
		.where('subject', '=', String(companyId))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

async function countStored(companyId: number): Promise<number> {
	const row = await sql<{ n: string }>`select count(*) as n from operations
		where company_id = ${companyId}`.execute(t.db);
	return Number(row.rows[0]!.n);
}

type Sync = (ops: ReturnType<typeof op>[]) => Promise<SyncOutcome[] | TRPCError>;

function syncer(s: Awaited<ReturnType<typeof shop>>): Sync {
	return (operations) =>
		s.api.payments.sync({ deviceId: s.deviceId, operations }).catch((error: unknown) => {
			if (error instanceof TRPCError) return error;
			throw error;
		});
}

describe('enumerating customers through payments.sync', () => {
	it('over 10,000 IDs learns no name and no more existence facts than the lookup limit allows', async () => {
		// 10,000 consecutive valid six-digit IDs; 100 of them are real customers.
		const ids = Array.from({ length: 10_000 }, (_, i) => idOf(10_000 + i));
		const real = new Set(ids.filter((_, i) => i % 100 === 37));
		for (const id of real) await insertCustomer(t.db, id, `Клиент ${id}`);
		const attacker = await shop();
		const sync = syncer(attacker);
		const started = Date.now();

		// The attack of the issue: 50 calls of 200 one-kopeck operations. Each has more unknown
		// customers than a minute's lookups: every one is refused whole, and nothing is stored.
		const answers: (SyncOutcome[] | TRPCError)[] = [];
		for (let i = 0; i < 10_000; i += 200) answers.push(await sync(ids.slice(i, i + 200).map(op)));
		expect(answers.every((a) => a instanceof TRPCError && a.code === 'TOO_MANY_REQUESTS')).toBe(
			true
		);
		expect(await countStored(attacker.companyId)).toBe(0);

		// A smarter attacker halves a refused batch, as the counter does, until one operation is
		// refused alone: it learns what its lookup slots pay for, and not one fact more.
		const learned = new Map<string, 'exists' | 'unknown'>();
		let next = 0;
		let size = 200;
		for (;;) {
			const batch = ids.slice(next, next + size);
			if (batch.length === 0) break;
			const answer = await sync(batch.map(op));
			if (answer instanceof TRPCError) {
				expect(answer.code).toBe('TOO_MANY_REQUESTS');
				if (size === 1) break;
				size = Math.ceil(size / 2);
				continue;
			}
			expect(JSON.stringify(answer)).not.toContain('Клиент');
			answer.forEach((a, i) => {
				if (a.outcome === 'accepted') learned.set(batch[i]!, 'exists');
				else if (a.outcome === 'rejected' && a.reason === 'unknown_customer')
					learned.set(batch[i]!, 'unknown');
			});
			next += batch.length;
		}
		const minutes = Math.ceil((Date.now() - started) / 60_000);
		const unknown = [...learned.values()].filter((v) => v === 'unknown').length;
		const slots = await lookupSlots(attacker.companyId);
		// Every ID found not to exist cost a lookup slot; the slots stayed within the limits.
		expect(unknown).toBe(slots);
		expect(slots).toBeLessThanOrEqual(Math.min(600, 60 * minutes));
		expect(slots).toBeGreaterThan(0);
		// Found to exist: only the real customers among the few IDs those slots covered.
		const exists = [...learned.entries()].filter(([, v]) => v === 'exists').map(([id]) => id);
		expect(exists.every((id) => real.has(id))).toBe(true);
		expect(learned.size).toBeLessThanOrEqual(slots + Math.ceil(slots / 99) + 1);
		console.info(
			`enumeration: ${learned.size} of 10,000 IDs answered (${exists.length} existing), ` +
				`${slots} lookup slots, ${minutes} min`
		);

		// The operator sees the company: its unknown IDs and its refused calls.
		const operator = await callerAs(t.db, await insertUser(t.db, 'operator'));
		const probes = await operator.operator.customerProbes();
		expect(probes.companies).toEqual([
			expect.objectContaining({
				companyId: attacker.companyId,
				unknownIds: slots,
				throttled: expect.any(Number)
			})
		]);
		expect(probes.companies[0]!.throttled).toBeGreaterThanOrEqual(51);
	}, 600_000);

	it('a legitimate 10,000-operation drain of known customers (50 calls × 200) is never throttled', async () => {
		const customers = Array.from({ length: 200 }, (_, i) => idOf(20_000 + i));
		for (const id of customers) await insertCustomer(t.db, id, `Покупатель ${id}`);
		const counter = await shop();
		const sync = syncer(counter);
		let accepted = 0;
		for (let call = 0; call < 50; call++) {
			const answer = await sync(customers.map(op));
			if (answer instanceof TRPCError) throw answer;
			accepted += answer.filter((a) => a.outcome === 'accepted').length;
			expect(JSON.stringify(answer)).not.toContain('Покупатель');
		}
		expect(accepted).toBe(10_000);
		expect(await countStored(counter.companyId)).toBe(10_000);
		// Nothing it did not know was asked: no lookup slot spent.
		expect(await lookupSlots(counter.companyId)).toBe(0);
	}, 600_000);

	it('a throttled call in a group fails alone: the others get what they would alone', async () => {
		await insertCustomer(t.db, '123455', 'Иванов Иван');
		const honest = await shop();
		const prober = await shop();
		const call = (s: typeof honest, customerIds: string[]): SyncCall => ({
			companyId: s.companyId,
			deviceId: s.deviceId,
			createdBy: null,
			operations: customerIds.map(op)
		});
		const coalescer = new SyncCoalescer(t.db, { inFlight: 1, calls: 32, operations: 1000 });
		const unknown = Array.from({ length: 61 }, (_, i) => idOf(30_000 + i));
		// The first call runs alone; the three behind it share one transaction.
		const results = await Promise.allSettled([
			coalescer.sync(call(honest, ['123455'])),
			coalescer.sync(call(honest, ['123455', '123455'])),
			coalescer.sync(call(prober, unknown)),
			coalescer.sync(call(honest, ['123455', idOf(40_000)]))
		]);
		expect(results.map((r) => r.status)).toEqual([
			'fulfilled',
			'fulfilled',
			'rejected',
			'fulfilled'
		]);
		expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(LookupThrottled);
		const outcomes = results.map((r) =>
			r.status === 'fulfilled'
				? r.value.map((a) => (a.outcome === 'rejected' ? a.reason : a.outcome))
				: 'throttled'
		);
		expect(outcomes).toEqual([
			['accepted'],
			['accepted', 'accepted'],
			'throttled',
			['accepted', 'unknown_customer']
		]);
		expect(await countStored(prober.companyId)).toBe(0);
		expect(await lookupSlots(prober.companyId)).toBe(0);
		expect(await lookupSlots(honest.companyId)).toBe(1);
	});
});
