import { verifyPin } from '../domain/pin';
import {
	afterWrongPin,
	DEFAULT_IDLE_LOCK_MS,
	NO_PIN_FAILURES,
	nextShiftDeadline,
	pinLockRemaining,
	SHIFT_MAX_MS,
	shiftStatus,
	type PinFailures,
	type Shift,
	type ShiftStatus
} from '../domain/shift';
import { uuidv7 } from '../domain/uuid';
import { deleteMeta, getMeta, setMeta } from './db';
import type { CashierRecord } from './identity';

const SHIFT_KEY = 'shift';
const failuresKey = (cashierId: string) => `pinFailures:${cashierId}`;
/** A touch is written to IndexedDB at most this often (the idle lock survives a reload). */
const TOUCH_WRITE_MS = 1_000;

export type PinCheck =
	| { ok: true }
	| { ok: false; reason: 'wrong'; left: number }
	| { ok: false; reason: 'locked'; remainingMs: number };

/**
 * The cashier's shift on this terminal (SPEC C10), kept in IndexedDB so it survives a reload
 * or a crash offline. Opening and unlocking check the PIN against the cached PBKDF2 verifier;
 * five wrong PINs lock that cashier on this terminal for five minutes (kept here too).
 */
export class ShiftState {
	shift = $state<Shift | null>(null);
	loaded = $state(false);
	now = $state(Date.now());
	idleMs = $state(DEFAULT_IDLE_LOCK_MS);

	readonly status = $derived<ShiftStatus | 'none'>(
		this.shift ? shiftStatus(this.shift, this.now, this.idleMs) : 'none'
	);

	private lastWrite = 0;
	private timer: ReturnType<typeof setTimeout> | null = null;

	/** Reads the shift from IndexedDB once per tab; later pages of the tab share the live state. */
	async load(idleSeconds: number | undefined): Promise<void> {
		this.idleMs = idleSeconds ? idleSeconds * 1000 : DEFAULT_IDLE_LOCK_MS;
		if (this.loaded) {
			this.now = Date.now();
			this.schedule();
			return;
		}
		const stored = (await getMeta<Shift>(SHIFT_KEY)) ?? null;
		this.now = Date.now();
		this.shift = stored && shiftStatus(stored, this.now, this.idleMs) !== 'expired' ? stored : null;
		if (stored && !this.shift) await deleteMeta(SHIFT_KEY);
		this.loaded = true;
		this.schedule();
	}

	/** Checks a cashier's PIN, counting wrong ones towards the lock. */
	async checkPin(cashier: CashierRecord, pin: string): Promise<PinCheck> {
		const now = Date.now();
		const failures = (await getMeta<PinFailures>(failuresKey(cashier.id))) ?? NO_PIN_FAILURES;
		const remaining = pinLockRemaining(failures, now);
		if (remaining > 0) return { ok: false, reason: 'locked', remainingMs: remaining };
		if (await verifyPin(pin, cashier.pin)) {
			await deleteMeta(failuresKey(cashier.id));
			return { ok: true };
		}
		const next = afterWrongPin(failures, now);
		await setMeta(failuresKey(cashier.id), next);
		if (next.lockedUntil !== null)
			return { ok: false, reason: 'locked', remainingMs: next.lockedUntil - now };
		return { ok: false, reason: 'wrong', left: 5 - next.count };
	}

	/** Opens a shift for the cashier (after `checkPin`). */
	async open(cashier: CashierRecord): Promise<void> {
		const now = Date.now();
		const shift: Shift = {
			id: uuidv7(now),
			cashierId: cashier.id,
			cashierName: cashier.name,
			canRefund: cashier.canRefund,
			openedAt: now,
			lastActivityAt: now
		};
		await setMeta(SHIFT_KEY, shift);
		this.shift = shift;
		this.now = now;
		this.schedule();
	}

	/** After the PIN was asked again: the same shift goes on. */
	async unlock(): Promise<void> {
		await this.touch(true);
	}

	/** The cashier did something: the idle lock starts again (unless it already locked). */
	async touch(force = false): Promise<void> {
		const shift = this.shift;
		if (!shift) return;
		const now = Date.now();
		if (!force && shiftStatus(shift, now, this.idleMs) !== 'open') return;
		// A plain copy for IndexedDB: `this.shift` reads back as Svelte's state proxy, which
		// IndexedDB cannot clone («could not be cloned»), so no touch was ever saved and a
		// reload locked the shift from its opening time (issue 19).
		const touched: Shift = { ...$state.snapshot(shift), lastActivityAt: now };
		this.shift = touched;
		this.now = now;
		if (force || now - this.lastWrite >= TOUCH_WRITE_MS) {
			this.lastWrite = now;
			await setMeta(SHIFT_KEY, touched);
		}
		this.schedule();
	}

	async close(): Promise<void> {
		this.shift = null;
		await deleteMeta(SHIFT_KEY);
		this.schedule();
	}

	/** Re-evaluates the status exactly when the shift would lock or end. */
	private schedule(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		const shift = this.shift;
		if (!shift) return;
		const open = shiftStatus(shift, Date.now(), this.idleMs) === 'open';
		const deadline = open ? nextShiftDeadline(shift, this.idleMs) : shift.openedAt + SHIFT_MAX_MS;
		const wait = Math.max(0, deadline - Date.now()) + 50;
		this.timer = setTimeout(() => {
			this.now = Date.now();
			if (this.shift && shiftStatus(this.shift, this.now, this.idleMs) === 'expired')
				void this.close();
			else this.schedule();
		}, wait);
	}
}

/** The tab's shift (the counter pages render in the browser only). */
export const shiftState = new ShiftState();
