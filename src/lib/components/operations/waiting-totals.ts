import type { OutboxOperation } from '$lib/offline';
import type { PeriodTotals } from './types';

/** The device's waiting operations that fall in a period, summed (provisional figures). */
export interface WaitingPart {
	count: number;
	amountKopecks: number;
	cashbackKopecks: number;
}

export type TotalsWithWaiting = PeriodTotals & { waiting: WaitingPart };

/**
 * The period's totals as the rows show them: the server's (or the cached) figures plus this
 * device's payments that wait to be sent and fall within the period, with the waiting part
 * kept apart so the page can mark it as not yet synced. An operation the shown rows already
 * carry (the server has it, the device has not heard back yet) is not counted twice.
 */
export function totalsWithWaiting(
	totals: PeriodTotals | null,
	waiting: readonly OutboxOperation[],
	shownIds: ReadonlySet<string> = new Set()
): TotalsWithWaiting | null {
	if (!totals) return null;
	const from = totals.from.getTime();
	const to = totals.to.getTime();
	const part: WaitingPart = { count: 0, amountKopecks: 0, cashbackKopecks: 0 };
	for (const op of waiting) {
		const at = Date.parse(op.occurredAt);
		if (!(at >= from && at < to) || shownIds.has(op.id)) continue;
		part.count += 1;
		part.amountKopecks += op.amountKopecks;
		part.cashbackKopecks += op.provisionalCashbackKopecks;
	}
	return {
		...totals,
		payments: totals.payments + part.count,
		amountKopecks: totals.amountKopecks + part.amountKopecks,
		cashbackKopecks: totals.cashbackKopecks + part.cashbackKopecks,
		waiting: part
	};
}
