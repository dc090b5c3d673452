import { getConfig } from '../config';
import type { HoldReason } from '../db/types';
import type { SyncBatchContext } from '../repositories/sync-batch';
import type { VelocityProbe } from '../repositories/sync-velocity';
import { DEFAULT_MAX_BILL_KOPECKS } from './money-limits';
import type { SyncSender } from './terminal-sync';

/*
 * When a synced payment's cashback is held for review instead of credited (issue 18, SPEC C16).
 * The payment is stored (outcome `accepted`) with its cashback on hold (repositories/holds.ts);
 * a person confirms or cancels it in «Подозрительные операции» (services/review-queue.ts).
 *
 * Velocity rules, over the payments of one customer at one company, by the operations' own
 * times (an honest counter draining an offline queue is judged by when the payments happened,
 * not by when they arrived):
 * - more than velocityThresholds().customerPerHour in the hour up to the payment;
 * - one actor (the cashier at a terminal, else the device) crediting the customer more than
 *   velocityThresholds().actorPerDay times in the 24 hours up to it;
 * - a bill of at least NEAR_LIMIT_BP of the company's bill limit when the customer already had
 *   one within 24 hours (sums kept just under the limit, repeated).
 * A device could spread the times it claims to dodge them, but every operation stays within
 * the money limits and 30 days back, and the last contact of a device is on record.
 *
 * Revocation, from the device's row read in the sync's own transaction (not the device's
 * clock alone, not the caller's principal): an operation under a revoked device's ID is
 * refused (`terminal_revoked`) when anyone but that terminal sends it, when the admin chose
 * "reject unsent", when it claims a time at or after the revocation, or once the revocation is
 * older than REVOKED_REVIEW_DAYS; otherwise ("accept before", within the bound) it is held
 * for the admin (`revoked_terminal`): its claimed time is the device's word only.
 *
 * The rules are exact under group commit: the operations stored before this one in the group
 * (in queue order) and not before the group are counted here, the rest are in the stored
 * counts, so each call gets what it would alone (where the earlier calls' rows are stored).
 */

/**
 * How many payments pass before the next is held: of a customer at a company within an hour
 * (default 5: the 6th is held), of a customer by one cashier or device within 24 hours
 * (default 10). From the environment (KOPEK_REVIEW_…), read when a group is judged.
 */
export function velocityThresholds(config = getConfig()) {
	return {
		customerPerHour: config.KOPEK_REVIEW_PAYMENTS_PER_HOUR,
		actorPerDay: config.KOPEK_REVIEW_ACTOR_PAYMENTS_PER_DAY
	};
}
/** A bill of at least 95 % of the bill limit, the second within 24 hours, is held. */
export const NEAR_LIMIT_BP = 9_500;
/** A revoked terminal's late operations go to review this long after the revocation, then are refused. */
export const REVOKED_REVIEW_DAYS = 7;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** What the rules know of an operation of the group. */
export interface ReviewedOperation {
	id: string;
	customerId: string;
	amountKopecks: number;
	occurredAt: Date;
	cashierId: string | null;
}

/** A call of the group as the rules see it. */
export interface ReviewedCall {
	companyId: number;
	deviceId: string;
	sender: SyncSender;
	now: Date;
	ops: readonly ReviewedOperation[];
	/** Indexes of operations refused before any lookup (not asked about). */
	refused: (index: number) => boolean;
}

export type ReviewVerdict = { refuse: 'terminal_revoked' } | { hold: HoldReason } | null;

const actorOf = (deviceId: string, op: ReviewedOperation) => op.cashierId ?? deviceId;
const probeKey = (call: number, op: number) => `${call}:${op}`;

/** The questions the sync's opening statement answers (its velocity counts). */
export function velocityProbes(calls: readonly ReviewedCall[]): VelocityProbe[] {
	return calls.flatMap((call, c) =>
		call.ops.flatMap((op, i) =>
			call.refused(i)
				? []
				: [
						{
							key: probeKey(c, i),
							companyId: call.companyId,
							customerId: op.customerId,
							at: op.occurredAt,
							actor: actorOf(call.deviceId, op),
							largeFrom: { bp: NEAR_LIMIT_BP, fallbackKopecks: DEFAULT_MAX_BILL_KOPECKS }
						}
					]
		)
	);
}

/** The smallest bill that is "near" a bill limit. */
function largeFrom(maxBillKopecks: number) {
	return Math.floor((maxBillKopecks * NEAR_LIMIT_BP + 9_999) / 10_000);
}

interface Counted {
	ms: number;
	actor: string;
	amountKopecks: number;
}

/**
 * Judges a group's operations in queue order. `judge` is called for each operation that passed
 * every other check; `count` for each one stored (held or not), so the later ones see it.
 */
export class GroupReview {
	readonly #context: SyncBatchContext;
	readonly #seen = new Map<string, Counted[]>();
	readonly #thresholds = velocityThresholds();

	constructor(context: SyncBatchContext) {
		this.#context = context;
	}

	judge(callIndex: number, call: ReviewedCall, opIndex: number): ReviewVerdict {
		const op = call.ops[opIndex]!;
		const revoked = this.#context.revocation(call.companyId, call.deviceId);
		if (revoked) {
			const own = call.sender.terminal?.deviceId === call.deviceId.toLowerCase();
			const tooLate = call.now.getTime() - revoked.at.getTime() > REVOKED_REVIEW_DAYS * DAY_MS;
			if (!own || revoked.mode === 'reject_unsent' || tooLate || op.occurredAt >= revoked.at)
				return { refuse: 'terminal_revoked' };
			return { hold: 'revoked_terminal' };
		}
		const stored = this.#context.velocity(probeKey(callIndex, opIndex));
		const t = op.occurredAt.getTime();
		const actor = actorOf(call.deviceId, op);
		const limit = this.#context.moneyLimits(call.companyId)?.maxBillKopecks;
		const large = largeFrom(limit ?? DEFAULT_MAX_BILL_KOPECKS);
		let hour = stored.hour;
		let actorDay = stored.actorDay;
		let largeDay = stored.largeDay;
		for (const before of this.#seen.get(this.#pair(call.companyId, op.customerId)) ?? []) {
			if (before.ms > t || before.ms <= t - DAY_MS) continue;
			if (before.ms > t - HOUR_MS) hour++;
			if (before.actor === actor) actorDay++;
			if (before.amountKopecks >= large) largeDay++;
		}
		if (hour >= this.#thresholds.customerPerHour) return { hold: 'velocity_customer_hour' };
		if (actorDay >= this.#thresholds.actorPerDay) return { hold: 'velocity_cashier_day' };
		if (op.amountKopecks >= large && largeDay >= 1) return { hold: 'near_bill_limit' };
		return null;
	}

	count(call: ReviewedCall, opIndex: number): void {
		const op = call.ops[opIndex]!;
		// Stored before the group (a retry, or a reused ID): already in the stored counts.
		if (this.#context.storedBefore(op.id)) return;
		const pair = this.#pair(call.companyId, op.customerId);
		const list = this.#seen.get(pair) ?? [];
		list.push({
			ms: op.occurredAt.getTime(),
			actor: actorOf(call.deviceId, op),
			amountKopecks: op.amountKopecks
		});
		this.#seen.set(pair, list);
	}

	#pair(companyId: number, customerId: string) {
		return `${companyId}:${customerId}`;
	}
}
