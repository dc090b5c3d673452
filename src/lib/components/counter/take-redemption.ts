import { uuidv7 } from '$lib/domain/uuid';
import { serverClock } from '$lib/offline/clock';
import { trpc } from '$lib/trpc';
import type { RedeemResult } from './redeem';

interface RedemptionContent {
	deviceId: string;
	customerId: string;
	code: string;
	billKopecks: number;
	redeemKopecks: number;
	/** At a paired terminal: the shift's cashier (SPEC C10), part of the content like a payment's. */
	cashierId?: string;
	shiftId?: string;
}

// The last attempt: a retry of the same payment (e.g. after a lost answer) reuses its ID and
// time, so the server answers the stored result instead of paying twice.
let last: { key: string; id: string; occurredAt: string } | null = null;

/**
 * The message for a redemption call that failed as a whole: past the company's lookup limit
 * (429: wrong codes and unknown customers spend it, SPEC C16) it says so; else the network.
 */
export function redeemFailureKey(error: unknown): string {
	const data = (error as { data?: { code?: string; httpStatus?: number } } | null)?.data;
	return data?.code === 'TOO_MANY_REQUESTS' || data?.httpStatus === 429
		? 'redeem.error.throttled'
		: 'redeem.error.network';
}

/**
 * Sends a payment partly with cashback to payments.redeem (online only). Returns the server's
 * figures, or the catalogue key of the message to show.
 */
export async function takeRedemption(
	content: RedemptionContent
): Promise<{ ok: true; redeemed: RedeemResult } | { ok: false; error: string }> {
	const key = JSON.stringify(content);
	if (last?.key !== key) {
		// The ID and the time by the server's clock as the counter knows it (online: it does),
		// within the bounds the server holds them to (src/lib/domain/operation-id.ts).
		const now = serverClock.now();
		last = { key, id: uuidv7(now), occurredAt: new Date(now).toISOString() };
	}
	try {
		const answer = await trpc.payments.redeem.mutate(
			{ ...content, id: last.id, occurredAt: last.occurredAt },
			{ signal: AbortSignal.timeout(15_000) }
		);
		if (answer.outcome === 'accepted' || answer.outcome === 'duplicate') {
			last = null;
			return { ok: true, redeemed: answer.operation };
		}
		last = null;
		if (answer.outcome === 'rejected') return { ok: false, error: `redeem.error.${answer.reason}` };
		return { ok: false, error: 'redeem.error.network' };
	} catch (error) {
		// A revoked terminal is refused before anything is looked at (server/trpc.ts).
		if (error instanceof Error && error.message === 'terminal_revoked')
			return { ok: false, error: 'redeem.error.terminal_revoked' };
		return { ok: false, error: redeemFailureKey(error) };
	}
}
