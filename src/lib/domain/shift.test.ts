import { describe, expect, it } from 'vitest';
import {
	afterWrongPin,
	DEFAULT_IDLE_LOCK_MS,
	NO_PIN_FAILURES,
	nextShiftDeadline,
	PIN_LOCK_MS,
	pinLockRemaining,
	shiftStatus,
	SHIFT_MAX_MS,
	type Shift
} from './shift';

const T0 = Date.UTC(2026, 5, 1, 9, 0, 0);
const shift: Shift = {
	id: '01900000-0000-7000-8000-000000000000',
	cashierId: 'c',
	cashierName: 'Анна',
	canRefund: true,
	openedAt: T0,
	lastActivityAt: T0
};

describe('idle lock', () => {
	it('defaults to five minutes', () => {
		expect(DEFAULT_IDLE_LOCK_MS).toBe(5 * 60 * 1000);
		expect(shiftStatus(shift, T0 + DEFAULT_IDLE_LOCK_MS - 1)).toBe('open');
		expect(shiftStatus(shift, T0 + DEFAULT_IDLE_LOCK_MS)).toBe('idle-locked');
	});

	it('follows the configured idle time and counts from the last touch', () => {
		const touched = { ...shift, lastActivityAt: T0 + 60_000 };
		expect(shiftStatus(touched, T0 + 60_000 + 9_999, 10_000)).toBe('open');
		expect(shiftStatus(touched, T0 + 70_000, 10_000)).toBe('idle-locked');
		expect(nextShiftDeadline(touched, 10_000)).toBe(T0 + 70_000);
	});

	it('ends the shift 12 hours after it opened, however busy', () => {
		const busy = { ...shift, lastActivityAt: T0 + SHIFT_MAX_MS - 1 };
		expect(shiftStatus(busy, T0 + SHIFT_MAX_MS - 1)).toBe('open');
		expect(shiftStatus(busy, T0 + SHIFT_MAX_MS)).toBe('expired');
		expect(nextShiftDeadline(busy)).toBe(T0 + SHIFT_MAX_MS);
	});
});

describe('PIN lockout', () => {
	it('locks for five minutes at the fifth wrong PIN in a row', () => {
		let state = NO_PIN_FAILURES;
		for (let i = 1; i <= 4; i++) {
			state = afterWrongPin(state, T0 + i);
			expect(state.count).toBe(i);
			expect(pinLockRemaining(state, T0 + i)).toBe(0);
		}
		state = afterWrongPin(state, T0 + 5);
		expect(pinLockRemaining(state, T0 + 5)).toBe(PIN_LOCK_MS);
		expect(pinLockRemaining(state, T0 + 5 + PIN_LOCK_MS - 1)).toBe(1);
		expect(pinLockRemaining(state, T0 + 5 + PIN_LOCK_MS)).toBe(0);
	});

	it('starts counting again after the lock', () => {
		let state = NO_PIN_FAILURES;
		for (let i = 0; i < 5; i++) state = afterWrongPin(state, T0);
		state = afterWrongPin(state, T0 + PIN_LOCK_MS);
		expect(state).toEqual({ count: 1, lockedUntil: null });
	});
});
