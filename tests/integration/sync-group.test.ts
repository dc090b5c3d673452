/**
 * Group commit (services/sync-coalescer.ts): several devices' sync calls stored in one
 * transaction must answer each call exactly as it would be answered alone, and leave exactly
 * what the calls alone would leave (operations, balances, day summaries). Checked against
 * a second database that takes the same calls one at a time, on random groups.
 */
import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TerminalPrincipal } from '../../server/auth/terminal';
import type { Database } from '../../server/db/types';
import {
	syncPaymentGroup,
	syncPayments,
	type SyncCall,
	type SyncOutcome
} from '../../server/services/payment-sync';
import { useTestDatabase } from './support/db';
import { fixturePasswordHash, insertCompany, insertCustomer } from './support/fixtures';

const grouped = useTestDatabase();
const alone = useTestDatabase();

const NOW = new Date('2026-11-20T12:00:00Z');
const hex = (n: number, width = 12) => n.toString(16).padStart(width, '0');
const uuid = (group: string, n: number) => `0190${group}00-0000-7000-8000-${hex(n)}`;

const DEVICES = [uuid('0d', 1), uuid('0d', 2), uuid('0d', 3), uuid('0d', 4), uuid('0d', 5)];
const UNREGISTERED = uuid('0d', 99);
const ADMIN = uuid('0a', 1);
const CASHIER = uuid('0c', 1);
const CUSTOMERS = ['123455', '765438', '555550', '900001'];
const ERASED = '900001';
// Operation IDs are UUID v7 of a time the server accepts (an hour before NOW: issue 18, item 7).
const idTime = hex(NOW.getTime() - 3_600_000);
const OPERATION_IDS = Array.from(
	{ length: 10 },
	(_, i) => `${idTime.slice(0, 8)}-${idTime.slice(8)}-7000-8000-${hex(i + 1)}`
);

/** The same world in a database: four companies, their devices, a terminal's cashier, customers. */
async function buildWorld(db: Kysely<Database>) {
	const first = await insertCompany(db, { rateBp: 1000, name: 'Первая' });
	const pending = await insertCompany(db, { rateBp: 500, status: 'pending', name: 'Вторая' });
	const eastern = await insertCompany(db, {
		rateBp: 700,
		timeZone: 'Asia/Vladivostok',
		name: 'Третья'
	});
	// A rate that starts within the last day: operations before it are `company_inactive`.
	const late = await insertCompany(db, {
		rateBp: 300,
		rateFrom: new Date(NOW.getTime() - 6 * 3600_000),
		name: 'Четвёртая'
	});
	await db
		.insertInto('users')
		.values({
			id: ADMIN,
			email: 'admin@example.test',
			password_hash: await fixturePasswordHash(),
			role: 'company',
			company_id: first
		})
		.execute();
	const owners = [first, first, first, eastern, late];
	await db
		.insertInto('devices')
		.values(DEVICES.map((id, i) => ({ id, company_id: owners[i]!, name: `Касса ${i + 1}` })))
		.execute();
	await db
		.insertInto('cashiers')
		.values({
			id: CASHIER,
			company_id: first,
			name: 'Анна',
			pin_salt: 'x',
			pin_verifier: 'y',
			pin_iterations: 100000
		})
		.execute();
	for (const id of CUSTOMERS) await insertCustomer(db, id, `Клиент ${id}`);
	await db.updateTable('customers').set({ erased_at: NOW }).where('id', '=', ERASED).execute();
	// The pending company's device: only in this world's second company.
	await db
		.insertInto('devices')
		.values({ id: uuid('0d', 6), company_id: pending, name: 'Касса ожидающей' })
		.execute();
	return { first, pending, eastern, late };
}

type World = Awaited<ReturnType<typeof buildWorld>>;

/** Who sends: the company and device a call claims, and the terminal behind it, if any. */
function senders(world: World) {
	const terminal: TerminalPrincipal = {
		deviceId: DEVICES[2]!,
		companyId: world.first,
		name: 'Касса 3',
		revoked: null
	};
	return [
		{ companyId: world.first, deviceId: DEVICES[0]!, createdBy: ADMIN },
		{ companyId: world.first, deviceId: DEVICES[1]!, createdBy: ADMIN },
		{ companyId: world.first, deviceId: DEVICES[2]!, createdBy: null, sender: { terminal } },
		// A terminal that claims another device of its company.
		{ companyId: world.first, deviceId: DEVICES[0]!, createdBy: null, sender: { terminal } },
		{ companyId: world.eastern, deviceId: DEVICES[3]!, createdBy: null },
		{ companyId: world.late, deviceId: DEVICES[4]!, createdBy: null },
		{ companyId: world.pending, deviceId: uuid('0d', 6), createdBy: null },
		{ companyId: world.first, deviceId: UNREGISTERED, createdBy: null },
		// Another company's device.
		{ companyId: world.eastern, deviceId: DEVICES[0]!, createdBy: null }
	];
}

const operation = fc.record({
	id: fc.constantFrom(...OPERATION_IDS),
	customerId: fc.constantFrom(...CUSTOMERS, '000000'),
	amountKopecks: fc.constantFrom(100_00, 2_345_67, 0),
	// Minutes before NOW: an hour, most of a day (before the late company's rate), 40 days (too
	// old), and one in the future beyond the tolerance.
	minutesAgo: fc.constantFrom(60, 20 * 60, 40 * 24 * 60, -60),
	cashier: fc.constantFrom<'named' | 'none' | 'unknown'>('named', 'none', 'unknown')
});
const call = fc.record({
	sender: fc.nat({ max: 8 }),
	operations: fc.array(operation, { minLength: 1, maxLength: 4 })
});

type DrawnCall = typeof call extends fc.Arbitrary<infer T> ? T : never;

function toCall(world: World, drawn: DrawnCall): SyncCall {
	const sender = senders(world)[drawn.sender]!;
	return {
		...sender,
		now: NOW,
		operations: drawn.operations.map((op) => ({
			id: op.id,
			customerId: op.customerId,
			amountKopecks: op.amountKopecks,
			occurredAt: new Date(NOW.getTime() - op.minutesAgo * 60_000).toISOString(),
			cashierId: op.cashier === 'named' ? CASHIER : op.cashier === 'unknown' ? uuid('0c', 9) : null
		}))
	};
}

/** What a database holds after the calls, without the moments that differ between the two. */
async function stored(db: Kysely<Database>) {
	const operations = await db
		.selectFrom('operations')
		.select([
			'id',
			'company_id',
			'device_id',
			'customer_id',
			'amount_kopecks',
			'rate_bp',
			'cashback_kopecks',
			'occurred_at',
			'content_hash',
			'created_by',
			'cashier_id'
		])
		.orderBy('id')
		.execute();
	const balances = await db
		.selectFrom('customer_balances')
		.select(['customer_id', 'balance_kopecks'])
		.where('balance_kopecks', '<>', 0)
		.orderBy('customer_id')
		.execute();
	const summaries = await sql`
		select company_id, day::text, statement_month::text, slot, payment_count,
			payment_amount_kopecks, payment_cashback_kopecks
		from company_day_summaries
		where payment_count <> 0
		order by company_id, day, statement_month, slot`.execute(db);
	return { operations, balances, summaries: summaries.rows };
}

/** Answers without the moment of recording (each database recorded at its own time). */
const answers = (outcomes: SyncOutcome[][]) =>
	outcomes.map((call) =>
		call.map((o) =>
			'operation' in o ? { ...o, operation: { ...o.operation, recordedAt: 'recorded' } } : o
		)
	);

async function empty(db: Kysely<Database>) {
	// rate_events: unknown customers spend lookup slots (SPEC C16), and every run syncs at NOW.
	await sql`truncate table operations, customer_balances, company_day_summaries, rate_events`.execute(
		db
	);
}

let worlds: { grouped: World; alone: World };

beforeAll(async () => {
	worlds = { grouped: await buildWorld(grouped.db), alone: await buildWorld(alone.db) };
	expect(worlds.grouped).toEqual(worlds.alone);
});

describe('a group of sync calls in one transaction', () => {
	it('answers and stores exactly what the same calls alone would', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(call, { minLength: 0, maxLength: 2 }),
				fc.array(call, { minLength: 2, maxLength: 7 }),
				async (before, group) => {
					await empty(grouped.db);
					await empty(alone.db);
					// Calls stored earlier, the same in both: the group's retries read them back.
					for (const drawn of before) {
						await syncPayments(grouped.db, toCall(worlds.grouped, drawn));
						await syncPayments(alone.db, toCall(worlds.alone, drawn));
					}
					const together = await syncPaymentGroup(
						grouped.db,
						group.map((drawn) => toCall(worlds.grouped, drawn))
					);
					const oneByOne: SyncOutcome[][] = [];
					for (const drawn of group)
						oneByOne.push(await syncPayments(alone.db, toCall(worlds.alone, drawn)));
					expect(answers(together)).toEqual(answers(oneByOne));
					expect(await stored(grouped.db)).toEqual(await stored(alone.db));
				}
			),
			{ numRuns: 100 }
		);
		// A hundred groups on two databases: about a minute on a loaded two-core machine.
	}, 240_000);

	it('covers every outcome the property draws from', async () => {
		// The property above is only as good as its draws: one fixed group that has each answer.
		await empty(grouped.db);
		const w = worlds.grouped;
		const [first, second, terminal, impostor, eastern, late, pending, unregistered] = senders(w);
		const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();
		const op = (
			id: number,
			customerId = CUSTOMERS[0]!,
			minutesAgo = 60,
			amountKopecks = 100_00
		) => ({
			id: OPERATION_IDS[id]!,
			customerId,
			amountKopecks,
			occurredAt: at(minutesAgo)
		});
		const outcomes = await syncPaymentGroup(grouped.db, [
			{
				...first!,
				now: NOW,
				operations: [op(0), op(1, '000000'), op(2, ERASED), op(3, CUSTOMERS[1], 60, 0)]
			},
			{
				...second!,
				now: NOW,
				operations: [op(0), op(4, CUSTOMERS[1], -60), op(5, CUSTOMERS[1], 40 * 24 * 60)]
			},
			{ ...first!, now: NOW, operations: [op(0)] },
			{ ...terminal!, now: NOW, operations: [{ ...op(6), cashierId: CASHIER }, op(7)] },
			{ ...impostor!, now: NOW, operations: [op(8)] },
			{ ...eastern!, now: NOW, operations: [op(9, CUSTOMERS[2])] },
			{ ...late!, now: NOW, operations: [op(1, CUSTOMERS[2], 20 * 60)] },
			{ ...pending!, now: NOW, operations: [op(5)] },
			{ ...unregistered!, now: NOW, operations: [op(4)] }
		]);
		expect(outcomes.map((call) => call.map((o) => ('reason' in o ? o.reason : o.outcome)))).toEqual(
			[
				['accepted', 'unknown_customer', 'unknown_customer', 'amount_out_of_range'],
				['conflict', 'occurred_in_future', 'too_old'],
				['duplicate'],
				['accepted', 'unknown_cashier'],
				['device_not_registered'],
				['accepted'],
				['company_inactive'],
				['company_inactive'],
				['device_not_registered']
			]
		);
	});
});
