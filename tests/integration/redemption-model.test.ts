import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getSecretKey } from '../../server/crypto/keys';
import { getBalance, listBalanceMismatches } from '../../server/repositories/balances';
import { insertCustomerWithNewId } from '../../server/repositories/customer-cards';
import { refundPayment } from '../../server/repositories/refunds';
import { redeem, type RedeemedOperation } from '../../server/services/redemption';
import { computeCashback } from '../../src/lib/domain/money';
import { otpStep } from '../../src/lib/domain/otp';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { useTestDatabase } from './support/db';
import { codesOf, giveBalance, redeemingShop } from './support/redemption-fixtures';

/**
 * Model tests of pay-with-cashback against a plain in-memory ledger. fast-check prints the
 * seed and the shrunk counterexample of any failure (rerun with `{ seed, path }`).
 */
const t = useTestDatabase();

const RATE_BP = 1000;
const STEP_MS = 30_000;
let phone = 79_000_000_000;
const newCustomer = () =>
	insertCustomerWithNewId(t.db, { name: 'Модель Клиент', phone: `+${++phone}` });

type Action =
	| { kind: 'redeem'; bill: number; redeem: number }
	| { kind: 'refund'; pick: number }
	| { kind: 'replay'; pick: number }
	| { kind: 'reuse_code'; pick: number };

const action: fc.Arbitrary<Action> = fc.oneof(
	fc
		.record({ bill: fc.integer({ min: 1, max: 60_00 }), share: fc.integer({ min: 1, max: 100 }) })
		.map(({ bill, share }) => ({
			kind: 'redeem' as const,
			bill,
			redeem: Math.max(1, Math.floor((bill * share) / 100))
		})),
	fc.nat().map((pick) => ({ kind: 'refund' as const, pick })),
	fc.nat().map((pick) => ({ kind: 'replay' as const, pick })),
	fc.nat().map((pick) => ({ kind: 'reuse_code' as const, pick }))
);

describe('redemption model', () => {
	it('concurrent redeems and refunds: balance = ledger sum, never negative; replays answer the stored result; a code is usable once', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 0, max: 100_00 }),
				fc.array(fc.array(action, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 }),
				async (initial, batches) => {
					const shops = [
						await redeemingShop(t.db, { rateBp: RATE_BP, redeemMaxBp: 10_000 }),
						await redeemingShop(t.db, { rateBp: RATE_BP, redeemMaxBp: 10_000 })
					];
					const customerId = await newCustomer();
					if (initial > 0) await giveBalance(t.db, customerId, initial);
					const codeAt = await codesOf(t.db, customerId);
					let model = initial;
					let clock = Date.now() + 60 * STEP_MS;
					const accepted: {
						input: Parameters<typeof redeem>[1];
						outcome: { operation: RedeemedOperation };
						companyId: number;
						refunded: boolean;
					}[] = [];

					for (const batch of batches) {
						const tasks = batch.map(async (a, i) => {
							const shop = shops[i % shops.length]!;
							if (a.kind === 'redeem') {
								clock += STEP_MS; // a fresh code for every attempt (injected clock)
								const now = new Date(clock);
								const input = {
									id: uuidv7(),
									companyId: shop.companyId,
									deviceId: shop.deviceId,
									customerId,
									code: codeAt(now),
									billKopecks: a.bill,
									redeemKopecks: a.redeem,
									occurredAt: now.toISOString(),
									now,
									key: getSecretKey(),
									createdBy: null
								};
								const outcome = await redeem(t.db, input);
								if (outcome.outcome === 'accepted') {
									expect(outcome.operation.cashbackKopecks).toBe(
										computeCashback(a.bill - a.redeem, RATE_BP)
									);
									model += outcome.operation.cashbackKopecks - a.redeem;
									accepted.push({ input, outcome, companyId: shop.companyId, refunded: false });
								} else {
									expect(outcome).toEqual({ outcome: 'rejected', reason: 'insufficient_balance' });
								}
								return;
							}
							const target = accepted.length ? accepted[a.pick % accepted.length]! : undefined;
							if (!target) return;
							if (a.kind === 'replay') {
								const again = await redeem(t.db, target.input);
								expect(again.outcome).toBe('duplicate');
								if (again.outcome !== 'duplicate') return;
								const { balanceKopecks: _b, ...stored } = target.outcome.operation;
								expect(again.operation).toMatchObject(stored);
							} else if (a.kind === 'reuse_code') {
								const again = await redeem(t.db, { ...target.input, id: uuidv7() });
								expect(again).toEqual({ outcome: 'rejected', reason: 'code_used' });
							} else if (!target.refunded) {
								target.refunded = true;
								const result = await t.db.transaction().execute((trx) =>
									refundPayment(trx, {
										companyId: target.companyId,
										operationId: target.input.id,
										reason: 'модель',
										userId: null as unknown as string
									})
								);
								const op = target.outcome.operation;
								if (result.ok) model += op.redeemedKopecks - op.cashbackKopecks;
								else expect(['cashback_spent']).toContain(result.error);
								if (!result.ok) target.refunded = false;
							}
						});
						await Promise.all(tasks);
						const balance = await getBalance(t.db, customerId);
						expect(balance).toBeGreaterThanOrEqual(0);
						expect(balance).toBe(model);
					}
					expect(await listBalanceMismatches(t.db)).toEqual([]);
				}
			),
			{ numRuns: 12 }
		);
	});

	type Attempt = {
		advanceSeconds: number;
		kind: 'right' | 'wrong' | 'neighbour' | 'far' | 'reuse';
	};

	it('codes: ±1 step, once each, and five wrong codes within 15 minutes lock for 15 minutes', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(
					fc.record({
						advanceSeconds: fc.oneof(
							fc.integer({ min: 0, max: 90 }),
							fc.integer({ min: 0, max: 1200 })
						),
						kind: fc.constantFrom<Attempt['kind']>(
							'right',
							'wrong',
							'wrong',
							'neighbour',
							'far',
							'reuse'
						)
					}),
					{ minLength: 1, maxLength: 25 }
				),
				fc.boolean(),
				async (attempts, neighbourAfter) => {
					const shop = await redeemingShop(t.db, { redeemMaxBp: 10_000 });
					const customerId = await newCustomer();
					await giveBalance(t.db, customerId, 1_000_00);
					const secretCode = await codesOf(t.db, customerId);
					// The model.
					let lockedUntil = -Infinity;
					let failures: number[] = [];
					const used = new Set<number>();
					let lastAccepted: { code: string; step: number } | null = null;

					let clock = Date.now();
					for (const attempt of attempts) {
						clock += attempt.advanceSeconds * 1000;
						const step = otpStep(clock);
						const window = new Set([step - 1, step, step + 1].map((s) => secretCode(s * STEP_MS)));
						let code: string;
						let codeStep: number | null;
						switch (attempt.kind) {
							case 'right':
								code = secretCode(clock);
								codeStep = step;
								break;
							case 'neighbour':
								codeStep = step + (neighbourAfter ? 1 : -1);
								code = secretCode(codeStep * STEP_MS);
								break;
							case 'far':
								codeStep = null;
								code = secretCode((step + (neighbourAfter ? 2 : -2)) * STEP_MS);
								if (window.has(code)) continue; // a chance collision (1 in 10^6): skip
								break;
							case 'reuse':
								if (!lastAccepted) continue;
								code = lastAccepted.code;
								codeStep = Math.abs(lastAccepted.step - step) <= 1 ? lastAccepted.step : null;
								break;
							default: {
								let n = 0;
								while (window.has(String(n).padStart(6, '0'))) n++;
								code = String(n).padStart(6, '0');
								codeStep = null;
							}
						}
						let expected: string;
						if (lockedUntil > clock) expected = 'code_locked';
						else if (codeStep === null) {
							expected = 'bad_code';
							failures.push(clock);
							failures = failures.filter((f) => f > clock - 15 * 60_000);
							if (failures.length >= 5) {
								lockedUntil = clock + 15 * 60_000;
								failures = [];
							}
						} else if (used.has(codeStep)) expected = 'code_used';
						else {
							expected = 'accepted';
							used.add(codeStep);
							lastAccepted = { code, step: codeStep };
						}
						const now = new Date(clock);
						const outcome = await redeem(t.db, {
							id: uuidv7(),
							companyId: shop.companyId,
							deviceId: shop.deviceId,
							customerId,
							code,
							billKopecks: 100,
							redeemKopecks: 1,
							occurredAt: now.toISOString(),
							now,
							key: getSecretKey(),
							createdBy: null
						});
						expect(outcome.outcome === 'rejected' ? outcome.reason : outcome.outcome).toBe(
							expected
						);
					}
				}
			),
			{ numRuns: 15 }
		);
	});
});
