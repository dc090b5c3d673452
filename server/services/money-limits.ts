import type { Kysely } from 'kysely';
import { z } from 'zod';
import { MAX_AMOUNT_KOPECKS, parseRubles } from '../../src/lib/domain/money';
import type { Database } from '../db/types';
import * as companies from '../repositories/companies';
import { insertMoneyLimits, type MoneyLimitRow } from '../repositories/money-limits';
import * as rates from '../repositories/rates';

/*
 * Operator-set money limits (issue 18, SPEC C16): per company the largest bill and the largest
 * cashback one operation may carry. A payment above either is `rejected` (the counter shows it
 * in «Требует внимания»), whatever the device says: a device (or a revoked terminal, or a
 * hostile client) cannot mint more than this per operation. The limit in force when the
 * operation reaches the server applies, not the one at the operation's own time: the device's
 * clock must not pick an older, higher limit.
 */

/** A small shop's largest bill, until the operator sets another: 300 000 ₽. */
export const DEFAULT_MAX_BILL_KOPECKS = 30_000_000;
/** A small shop's largest cashback per operation, until the operator sets another: 30 000 ₽. */
export const DEFAULT_MAX_CASHBACK_KOPECKS = 3_000_000;

export const DEFAULT_MONEY_LIMITS: MoneyLimitRow = {
	maxBillKopecks: DEFAULT_MAX_BILL_KOPECKS,
	maxCashbackKopecks: DEFAULT_MAX_CASHBACK_KOPECKS
};

export type MoneyLimitReason = 'over_bill_limit' | 'over_cashback_limit';

/** Why an operation breaks the limits (the bill first), or null when it keeps to them. */
export function moneyLimitReason(
	limits: MoneyLimitRow | null,
	billKopecks: number,
	cashbackKopecks: number
): MoneyLimitReason | null {
	const { maxBillKopecks, maxCashbackKopecks } = limits ?? DEFAULT_MONEY_LIMITS;
	if (billKopecks > maxBillKopecks) return 'over_bill_limit';
	if (cashbackKopecks > maxCashbackKopecks) return 'over_cashback_limit';
	return null;
}

export const moneyLimitsInput = z.object({
	companyId: z.number().int().positive(),
	/** Rubles as typed (`300 000`, `1234,56`). */
	maxBill: z.string().max(30),
	maxCashback: z.string().max(30),
	/** A wall-clock time as `<input type="datetime-local">` sends it; now when absent. */
	effectiveFrom: z
		.string()
		.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/)
		.optional()
});

export type MoneyLimitsChange =
	| {
			ok: false;
			fieldErrors: {
				maxBill?: 'format' | 'range';
				maxCashback?: 'format' | 'range';
				effectiveFrom?: 'same_moment';
			};
			error?: 'not_found';
	  }
	| { ok: true; maxBillKopecks: number; maxCashbackKopecks: number; effectiveFrom: Date };

/**
 * The operator's new limits for a company, effective from a wall-clock time in the company's
 * zone (now when not given); earlier ones stay in the history. The bill limit is 0,01 ₽ up to
 * the largest amount a payment may have at all; the cashback limit is 0 (no cashback at all)
 * up to the bill limit.
 */
export async function setMoneyLimits(
	db: Kysely<Database>,
	input: z.infer<typeof moneyLimitsInput>,
	createdBy: string | null
): Promise<MoneyLimitsChange> {
	const bill = parseRubles(input.maxBill);
	const cashback = parseRubles(input.maxCashback);
	const fieldErrors: Extract<MoneyLimitsChange, { ok: false }>['fieldErrors'] = {};
	if (!bill.ok) fieldErrors.maxBill = 'format';
	else if (bill.kopecks < 1 || bill.kopecks > MAX_AMOUNT_KOPECKS) fieldErrors.maxBill = 'range';
	if (!cashback.ok) fieldErrors.maxCashback = 'format';
	else if (bill.ok && cashback.kopecks > bill.kopecks) fieldErrors.maxCashback = 'range';
	if (!bill.ok || !cashback.ok || fieldErrors.maxBill || fieldErrors.maxCashback)
		return { ok: false, fieldErrors };
	if (!(await companies.getCreatedAt(db, input.companyId)))
		return { ok: false, fieldErrors: {}, error: 'not_found' };
	const effectiveFrom = input.effectiveFrom
		? await rates.localTimeToInstant(db, input.companyId, input.effectiveFrom)
		: new Date();
	const row = { maxBillKopecks: bill.kopecks, maxCashbackKopecks: cashback.kopecks };
	const outcome = await insertMoneyLimits(db, {
		...row,
		companyId: input.companyId,
		effectiveFrom,
		createdBy
	});
	if (!outcome.ok) return { ok: false, fieldErrors: { effectiveFrom: 'same_moment' } };
	return { ok: true, ...row, effectiveFrom };
}
