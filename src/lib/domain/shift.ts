/**
 * The cashier's shift on a terminal (SPEC C10), as pure rules so the counter and its tests
 * agree: a shift opens with the cashier's PIN, ends on request or 12 hours after it opened,
 * and locks after an idle time (asking for the PIN again). Five wrong PINs lock that cashier
 * on that terminal for five minutes.
 */

export const SHIFT_MAX_MS = 12 * 60 * 60 * 1000;
export const DEFAULT_IDLE_LOCK_MS = 5 * 60 * 1000;
export const MAX_PIN_FAILURES = 5;
export const PIN_LOCK_MS = 5 * 60 * 1000;

export interface Shift {
	/** UUID v7 made on the terminal: every operation of the shift carries it. */
	id: string;
	cashierId: string;
	cashierName: string;
	canRefund: boolean;
	/** Epoch milliseconds. */
	openedAt: number;
	/** The last time the cashier touched the counter (epoch ms). */
	lastActivityAt: number;
}

export type ShiftStatus = 'open' | 'idle-locked' | 'expired';

/** Where a shift stands at `now`: expired after 12 h, locked after `idleMs` without a touch. */
export function shiftStatus(shift: Shift, now: number, idleMs = DEFAULT_IDLE_LOCK_MS): ShiftStatus {
	if (now - shift.openedAt >= SHIFT_MAX_MS) return 'expired';
	if (now - shift.lastActivityAt >= idleMs) return 'idle-locked';
	return 'open';
}

/** When the shift will lock by itself, whichever comes first (epoch ms). */
export function nextShiftDeadline(shift: Shift, idleMs = DEFAULT_IDLE_LOCK_MS): number {
	return Math.min(shift.lastActivityAt + idleMs, shift.openedAt + SHIFT_MAX_MS);
}

/** Wrong PINs of one cashier on one terminal. */
export interface PinFailures {
	count: number;
	/** Epoch ms until which the cashier may not try; null when not locked. */
	lockedUntil: number | null;
}

export const NO_PIN_FAILURES: PinFailures = { count: 0, lockedUntil: null };

/** Milliseconds the cashier must still wait (0 when a PIN may be tried now). */
export function pinLockRemaining(state: PinFailures, now: number): number {
	return state.lockedUntil !== null && state.lockedUntil > now ? state.lockedUntil - now : 0;
}

/** After a wrong PIN: the fifth in a row locks for five minutes and starts the count again. */
export function afterWrongPin(state: PinFailures, now: number): PinFailures {
	const count = state.count + 1;
	if (count >= MAX_PIN_FAILURES) return { count: 0, lockedUntil: now + PIN_LOCK_MS };
	return { count, lockedUntil: null };
}
