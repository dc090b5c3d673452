import { sql } from 'kysely';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { refundPayment } from '../../server/repositories/refunds';
import { sectionsOf } from '../../server/repositories/statements';
import { verifySummaries } from '../../server/repositories/summaries-ledger';
import { syncPayments } from '../../server/services/payment-sync';
import { closeMonth, getStatement, shiftMonth } from '../../server/services/statements';
import { figuresOf, addFigures } from '../../src/lib/domain/settlement';
import { insertDevice } from './support/cabinets-fixtures';
import { useTestDatabase } from './support/db';
import { insertCompany, insertCustomer, insertUser } from './support/fixtures';
import { recordOperation } from './support/ledger';

const t = useTestDatabase();
const CUSTOMERS = ['123455', '765438', '246801'];
beforeAll(async () => {
	for (const id of CUSTOMERS) await insertCustomer(t.db, id);
});

const DAY = 86_400_000;

/** A serialization_failure (a close raced the writer) is retried, as the counter would. */
async function retrying<T>(work: () => Promise<T>): Promise<T> {
	for (let attempt = 0; ; attempt++) {
		try {
			return await work();
		} catch (error) {
			const code = (error as { code?: string }).code;
			if (code !== '40001' || attempt > 20) throw error;
		}
	}
}

type Command =
	| {
			kind: 'sync';
			company: number;
			device: number;
			ops: { customer: number; amount: number; ageMs: number }[];
	  }
	| { kind: 'refund'; company: number; pick: number }
	| { kind: 'redeem'; company: number; amount: number; share: number; ageMs: number }
	| { kind: 'close'; company: number };

const command: fc.Arbitrary<Command> = fc.oneof(
	fc.record({
		kind: fc.constant('sync' as const),
		company: fc.integer({ min: 0, max: 1 }),
		device: fc.integer({ min: 0, max: 2 }),
		ops: fc.array(
			fc.record({
				customer: fc.integer({ min: 0, max: 2 }),
				amount: fc.integer({ min: 1, max: 5_000_000 }),
				ageMs: fc.integer({ min: 60_000, max: 29 * DAY })
			}),
			{ minLength: 1, maxLength: 6 }
		)
	}),
	fc.record({
		kind: fc.constant('refund' as const),
		company: fc.integer({ min: 0, max: 1 }),
		pick: fc.nat()
	}),
	fc.record({
		kind: fc.constant('redeem' as const),
		company: fc.integer({ min: 0, max: 1 }),
		amount: fc.integer({ min: 1, max: 2_000_000 }),
		share: fc.integer({ min: 0, max: 100 }),
		ageMs: fc.integer({ min: 0, max: 29 * DAY })
	}),
	fc.record({ kind: fc.constant('close' as const), company: fc.integer({ min: 0, max: 1 }) })
);

describe('summaries against the ledger', () => {
	it('stay equal to the ledger after random payments, refunds, redemptions and closes, run concurrently', async () => {
		const companies: {
			id: number;
			timeZone: string;
			/** Several terminals: their syncs add to different slots of a day's sums. */
			deviceIds: string[];
			user: Awaited<ReturnType<typeof insertUser>>;
		}[] = [];
		for (const timeZone of ['Europe/Moscow', 'Asia/Vladivostok']) {
			const id = await insertCompany(t.db, { rateBp: 1250, timeZone });
			companies.push({
				id,
				timeZone,
				deviceIds: [
					await insertDevice(t.db, id),
					await insertDevice(t.db, id),
					await insertDevice(t.db, id)
				],
				user: await insertUser(t.db, 'company', { companyId: id })
			});
		}
		const payments: string[][] = [[], []];
		const run = async (c: Command) => {
			const company = companies[c.company]!;
			if (c.kind === 'sync') {
				const outcomes = await retrying(() =>
					syncPayments(t.db, {
						companyId: company.id,
						deviceId: company.deviceIds[c.device]!,
						createdBy: company.user.id,
						operations: c.ops.map((o) => ({
							id: uuidv7(),
							customerId: CUSTOMERS[o.customer]!,
							amountKopecks: o.amount,
							occurredAt: new Date(Date.now() - o.ageMs).toISOString()
						}))
					})
				);
				for (const o of outcomes) {
					expect(o.outcome).toBe('accepted');
					payments[c.company]!.push(o.id.toLowerCase());
				}
			} else if (c.kind === 'refund') {
				const list = payments[c.company]!;
				if (list.length === 0) return;
				const operationId = list[c.pick % list.length]!;
				await retrying(() =>
					t.db.transaction().execute((trx) =>
						refundPayment(trx, {
							companyId: company.id,
							operationId,
							reason: 'test',
							userId: company.user.id
						})
					)
				);
			} else if (c.kind === 'redeem') {
				const id = await retrying(() =>
					recordOperation(t.db, company.id, {
						kind: 'payment',
						amount: c.amount,
						redeemed: Math.floor((c.amount * c.share) / 100),
						rateBp: 1250,
						at: new Date(Date.now() - c.ageMs).toISOString()
					})
				);
				payments[c.company]!.push(id);
			} else {
				const last = new Intl.DateTimeFormat('en-CA', {
					timeZone: company.timeZone,
					year: 'numeric',
					month: '2-digit'
				})
					.format(new Date())
					.slice(0, 7);
				await closeMonth(t.db, {
					companyId: company.id,
					month: shiftMonth(last, -1),
					closedBy: null
				});
			}
		};

		const property = fc.asyncProperty(
			fc.array(fc.array(command, { minLength: 1, maxLength: 4 }), { maxLength: 6 }),
			async (rounds) => {
				// Each round's commands run at the same time, on separate connections (Postgres).
				for (const round of rounds) await Promise.all(round.map(run));
				expect(await verifySummaries(t.db)).toEqual([]);
			}
		);
		await fc.assert(property, { numRuns: 15 });
		// Replayed on every run: the case that found a deadlock between a refund and a sync of the
		// same customer and company (the refund took the balance row after its summaries step,
		// the sync takes them the other way round), 3 of 3 on Postgres before the fix.
		// (Postgres only: embedded PGlite runs one statement at a time and cannot deadlock.)
		if (process.env.DATABASE_URL)
			await fc.assert(property, { seed: 1179908251, path: '11:75', endOnFailure: true });

		// And every closed statement still equals what the summaries hold for it.
		for (const company of companies) {
			const stored = await t.db
				.selectFrom('statements')
				.select(sql<string>`to_char(month, 'YYYY-MM')`.as('monthKey'))
				.where('company_id', '=', company.id)
				.execute();
			for (const { monthKey } of stored) {
				const frozen = await getStatement(t.db, company.id, monthKey);
				const sections = (await sectionsOf(t.db, company.id, [`${monthKey}-01`])).get(
					`${monthKey}-01`
				)!;
				expect(frozen!.total).toEqual(addFigures(...sections.map((s) => figuresOf(s.sums))));
			}
		}
	});
});
