import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getSecretKey } from '../../server/crypto/keys';
import { getBalance, listBalanceMismatches } from '../../server/repositories/balances';
import { insertCustomerWithNewId } from '../../server/repositories/customer-cards';
import { setProgramRules } from '../../server/repositories/program-rules';
import { refundPayment } from '../../server/repositories/refunds';
import { runExpiry } from '../../server/services/expiry';
import { redeem } from '../../server/services/redemption';
import { computeCashback } from '../../src/lib/domain/money';
import { refundShare } from '../../src/lib/domain/refund';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { useTestDatabase } from './support/db';
import { codesOf, redeemingShop } from './support/redemption-fixtures';

/**
 * Issue 22: a model of the ledger with a hold period, redemptions, refunds (whole and partial,
 * several per payment), expiry and the
 * clock moving (the clock moves by shifting every stored moment the rules read — release
 * dates and the expiry clock — back by whole days, plus a quarter of an hour so that no step
 * lands exactly on a release). After every step: available + pending + spent + expired +
 * reversed = accrued, available never negative and what the model says, nothing spendable
 * before its release (a redemption of one kopeck more than the model's available fails).
 */
const t = useTestDatabase();
const RATE_BP = 1000;
const HOLD_DAYS = 14;
const EXPIRY_MONTHS = 3;
let phone = 79_100_000_000;

type Action =
	| { kind: 'pay'; amount: number }
	| { kind: 'redeem'; bill: number; share: number }
	| { kind: 'refund'; pick: number; part: number }
	| { kind: 'advance'; days: number }
	| { kind: 'expire' };

const action: fc.Arbitrary<Action> = fc.oneof(
	fc.integer({ min: 100, max: 5000_00 }).map((amount) => ({ kind: 'pay' as const, amount })),
	fc
		.record({
			bill: fc.integer({ min: 100, max: 3000_00 }),
			share: fc.integer({ min: 1, max: 100 })
		})
		.map((r) => ({ kind: 'redeem' as const, ...r })),
	fc
		.record({ pick: fc.nat(), part: fc.integer({ min: 1, max: 100 }) })
		.map((r) => ({ kind: 'refund' as const, ...r })),
	fc.integer({ min: 1, max: 40 }).map((days) => ({ kind: 'advance' as const, days })),
	fc.constant({ kind: 'expire' as const })
);

interface ModelPayment {
	id: string;
	amount: number;
	cashback: number;
	redeemed: number;
	/** Held for review by the velocity rules: nothing credited, a part refunded only after. */
	held: boolean;
	/** Model day (cumulative days advanced) from which it is spendable. */
	releaseDay: number;
	/** What its refunds took back so far (positive sums). */
	refunded: { amountKopecks: number; cashbackKopecks: number; redeemedKopecks: number };
	/** Its cashback still pending: cancelled by refunds within the hold. */
	pendingLeft: number;
}

const noRefund = () => ({ amountKopecks: 0, cashbackKopecks: 0, redeemedKopecks: 0 });

describe('ledger model with holds and expiry', () => {
	it('available + pending + spent + expired + reversed = accrued; available never negative or early', async () => {
		await setProgramRules(t.db, {
			holdDays: HOLD_DAYS,
			expiryMonths: EXPIRY_MONTHS,
			userId: null
		});
		await fc.assert(
			fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 14 }), async (actions) => {
				const shop = await redeemingShop(t.db, { rateBp: RATE_BP, redeemMaxBp: 10_000 });
				const customerId = await insertCustomerWithNewId(t.db, {
					name: 'Модель Клиент',
					phone: `+${++phone}`
				});
				const codeAt = await codesOf(t.db, customerId);
				let clock = Date.now() + 60_000;
				let day = 0;
				let lastActivityDay = 0;
				let expired = 0;
				const payments: ModelPayment[] = [];
				const m = { accrued: 0, spent: 0, reversed: 0 };
				const pendingModel = () =>
					payments.filter((p) => p.releaseDay > day).reduce((s, p) => s + p.pendingLeft, 0);
				const availableModel = () => m.accrued - m.reversed - m.spent - expired - pendingModel();

				const redeemOnce = async (bill: number, redeemKopecks: number) => {
					clock += 30_000; // a fresh code step for every attempt
					const now = new Date(clock);
					const id = uuidv7();
					const outcome = await redeem(t.db, {
						id,
						companyId: shop.companyId,
						deviceId: shop.deviceId,
						customerId,
						code: codeAt(now),
						billKopecks: bill,
						redeemKopecks,
						occurredAt: new Date().toISOString(),
						now,
						key: getSecretKey(),
						createdBy: null
					});
					return { id, outcome };
				};

				for (const a of actions) {
					if (a.kind === 'pay') {
						const id = uuidv7();
						const [answer] = await shop.api.payments.sync({
							deviceId: shop.deviceId,
							operations: [
								{ id, customerId, amountKopecks: a.amount, occurredAt: new Date().toISOString() }
							]
						});
						expect(answer?.outcome).toBe('accepted');
						// The velocity rules may hold it for review: then nothing is credited (0012).
						const cashback = answer?.outcome === 'accepted' ? answer.operation.cashbackKopecks : 0;
						if (!answer || !('operation' in answer) || !answer.operation.held)
							expect(cashback).toBe(computeCashback(a.amount, RATE_BP));
						payments.push({
							id,
							amount: a.amount,
							cashback,
							redeemed: 0,
							held: answer?.outcome === 'accepted' && answer.operation.held !== undefined,
							releaseDay: day + HOLD_DAYS,
							refunded: noRefund(),
							pendingLeft: cashback
						});
						m.accrued += cashback;
						if (cashback > 0) lastActivityDay = day;
					} else if (a.kind === 'redeem') {
						const available = availableModel();
						const want = Math.max(1, Math.floor((a.bill * a.share) / 100));
						const { id, outcome } = await redeemOnce(a.bill, want);
						if (want <= available) {
							expect(outcome.outcome).toBe('accepted');
							const cashback = computeCashback(a.bill - want, RATE_BP);
							payments.push({
								id,
								amount: a.bill,
								cashback,
								redeemed: want,
								held: false,
								releaseDay: day + HOLD_DAYS,
								refunded: noRefund(),
								pendingLeft: cashback
							});
							m.accrued += cashback;
							m.spent += want;
							lastActivityDay = day;
						} else {
							expect(outcome).toEqual({ outcome: 'rejected', reason: 'insufficient_balance' });
						}
					} else if (a.kind === 'refund') {
						const open = payments.filter((p) => p.refunded.amountKopecks < p.amount);
						const target = open[a.pick % Math.max(1, open.length)];
						if (!target) continue;
						// A part (1–99 % of what remains) or, at 100, all that remains.
						const remaining = target.amount - target.refunded.amountKopecks;
						const amount =
							a.part === 100 ? remaining : Math.max(1, Math.floor((remaining * a.part) / 100));
						const share = refundShare(
							{
								payment: {
									amountKopecks: target.amount,
									cashbackKopecks: target.cashback,
									redeemedKopecks: target.redeemed
								},
								before: target.refunded
							},
							amount
						)!;
						const pendingShare =
							target.releaseDay > day ? Math.min(share.cashbackKopecks, target.pendingLeft) : 0;
						const result = await t.db.transaction().execute((trx) =>
							refundPayment(trx, {
								companyId: shop.companyId,
								operationId: target.id,
								amountKopecks: amount,
								reason: 'модель',
								userId: null
							})
						);
						if (target.held && amount < remaining) {
							expect(result).toEqual({ ok: false, error: 'cashback_held' });
						} else if (
							availableModel() + share.redeemedKopecks - share.cashbackKopecks + pendingShare >=
							0
						) {
							expect(result.ok).toBe(true);
							target.refunded = {
								amountKopecks: target.refunded.amountKopecks + share.amountKopecks,
								cashbackKopecks: target.refunded.cashbackKopecks + share.cashbackKopecks,
								redeemedKopecks: target.refunded.redeemedKopecks + share.redeemedKopecks
							};
							target.pendingLeft -= pendingShare;
							m.reversed += share.cashbackKopecks;
							m.spent -= share.redeemedKopecks;
							lastActivityDay = day;
						} else expect(result).toEqual({ ok: false, error: 'cashback_spent' });
					} else if (a.kind === 'advance') {
						day += a.days;
						const shift = sql`make_interval(days => ${a.days}, mins => 15)`;
						await sql`update pending_cashback set available_at = available_at - ${shift}
							where customer_id = ${customerId}`.execute(t.db);
						await sql`update customer_balances set last_activity_at = last_activity_at - ${shift}
							where customer_id = ${customerId}`.execute(t.db);
					} else {
						const idle = day - lastActivityDay;
						// Three months are 89–92 days: the model stays out of that band.
						if (idle >= 89 && idle < 93) continue;
						await runExpiry(t.db);
						if (idle >= 93) expired += availableModel();
					}
					const available = await getBalance(t.db, customerId);
					expect(available).toBeGreaterThanOrEqual(0);
					expect(available, JSON.stringify({ a, day, payments })).toBe(availableModel());
					const ledger = await sql<{
						accrued: number;
						spent: number;
						reversed: number;
						expired: number;
					}>`
						select
							coalesce(sum(cashback_kopecks) filter (where kind in ('payment', 'release')), 0) as accrued,
							coalesce(sum(redeemed_kopecks), 0) as spent,
							-coalesce(sum(cashback_kopecks) filter (where kind = 'refund'), 0) as reversed,
							-coalesce(sum(cashback_kopecks) filter (where kind = 'expiry'), 0) as expired
						from operations where customer_id = ${customerId}`.execute(t.db);
					const l = ledger.rows[0]!;
					const pending = await sql<{
						p: number;
					}>`select coalesce(sum(kopecks - cancelled_kopecks), 0) as p
						from pending_cashback where customer_id = ${customerId} and available_at > now()`.execute(t.db);
					const p = Number(pending.rows[0]!.p);
					expect(p).toBe(pendingModel());
					expect(Number(l.expired)).toBe(expired);
					expect(available + p + Number(l.spent) + Number(l.expired) + Number(l.reversed)).toBe(
						Number(l.accrued)
					);
				}
				// Nothing spendable before its release: one kopeck more than available is refused.
				const available = availableModel();
				const { outcome } = await redeemOnce(available + 1, available + 1);
				expect(outcome).toEqual({ outcome: 'rejected', reason: 'insufficient_balance' });
				expect(await listBalanceMismatches(t.db)).toEqual([]);
			}),
			{ numRuns: 25 }
		);
	});
});
