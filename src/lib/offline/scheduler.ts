import { SyncCallError, type DrainResult, type FailureKind } from './engine';

/** First retry delay after a failed sync. */
export const BACKOFF_MIN_MS = 1_000;
/** Longest wait between retries. */
export const BACKOFF_MAX_MS = 5 * 60_000;
/** The Web Lock that makes one sync loop run at a time per browser profile. */
export const SYNC_LOCK_NAME = 'kopek-sync';

/**
 * Delay before retry number `attempt` (0 for the first): exponential from 1 s, capped at
 * 5 min, with jitter so that many counters coming back online do not retry in step. The
 * result lies in [base/2, base·3/2] of the exponential base, clamped to [1 s, 5 min].
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
	const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.max(0, attempt));
	const jittered = base * (0.5 + random());
	return Math.round(Math.min(BACKOFF_MAX_MS, Math.max(BACKOFF_MIN_MS, jittered)));
}

/**
 * Delay before a retry the server asked to postpone (Retry-After): at least what it asked,
 * plus up to a quarter more so that counters sent away together do not return together;
 * never past the longest wait.
 */
export function retryAfterDelay(retryAfterMs: number, random: () => number = Math.random): number {
	return Math.round(Math.min(BACKOFF_MAX_MS, retryAfterMs * (1 + 0.25 * random())));
}

/** The subset of the Web Locks API the scheduler needs. */
export interface LockManagerLike {
	request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

export interface SchedulerState {
	running: boolean;
	/** Failures in a row; 0 after a success. */
	failures: number;
	lastFailure: FailureKind | null;
	nextRetryAt: number | null;
}

export interface SchedulerOptions {
	/** One full drain; throws `SyncCallError` when the call fails. */
	drain: () => Promise<DrainResult>;
	/** Web Locks; without it (old browsers, tests) the loop is only guarded within this realm. */
	locks?: LockManagerLike | null;
	random?: () => number;
	now?: () => number;
	setTimer?: (callback: () => void, ms: number) => unknown;
	clearTimer?: (handle: unknown) => void;
	onState?: (state: SchedulerState) => void;
	onSuccess?: (result: DrainResult) => void;
	onFailure?: (error: unknown) => void;
}

/**
 * Decides when the sync loop runs: on request (a new operation, back online, app start,
 * visible again) and on an exponential backoff after a failure. Requests made while a drain
 * runs are merged into one more drain after it, so an operation added mid-drain is never
 * left behind. Every drain holds the `kopek-sync` Web Lock: tabs and the service worker wait
 * for each other instead of sending the same operations twice (which the server's
 * idempotency would make harmless anyway).
 */
export class SyncScheduler {
	private readonly options: SchedulerOptions;
	private running: Promise<void> | null = null;
	private again = false;
	private timer: unknown = null;
	private readonly state: SchedulerState = {
		running: false,
		failures: 0,
		lastFailure: null,
		nextRetryAt: null
	};
	private stopped = false;

	constructor(options: SchedulerOptions) {
		this.options = options;
	}

	/** Asks for a drain soon; resolves when the drain it joined (or started) is over. */
	requestSync(): Promise<void> {
		if (this.stopped) return Promise.resolve();
		if (this.running) {
			this.again = true;
			return this.running;
		}
		this.cancelTimer();
		this.running = this.loop().finally(() => {
			this.running = null;
		});
		return this.running;
	}

	/** Forgets the backoff (the network is back): the next attempt happens now. */
	resetBackoff(): void {
		this.state.failures = 0;
		this.state.nextRetryAt = null;
		this.cancelTimer();
	}

	stop(): void {
		this.stopped = true;
		this.cancelTimer();
	}

	getState(): SchedulerState {
		return { ...this.state };
	}

	private async loop(): Promise<void> {
		do {
			this.again = false;
			this.setRunning(true);
			try {
				const result = await this.withLock(this.options.drain);
				this.state.failures = 0;
				this.state.lastFailure = null;
				this.state.nextRetryAt = null;
				this.options.onSuccess?.(result);
			} catch (error) {
				this.state.failures++;
				this.state.lastFailure = error instanceof SyncCallError ? error.kind : 'server';
				this.options.onFailure?.(error);
				this.setRunning(false);
				// A user who may not sync at all gains nothing from retrying.
				const retryAfter = error instanceof SyncCallError ? error.retryAfterMs : undefined;
				if (this.state.lastFailure !== 'forbidden') this.scheduleRetry(retryAfter);
				return;
			}
		} while (this.again && !this.stopped);
		this.setRunning(false);
	}

	private withLock<T>(work: () => Promise<T>): Promise<T> {
		const locks = this.options.locks;
		return locks ? locks.request(SYNC_LOCK_NAME, work) : work();
	}

	private scheduleRetry(retryAfterMs?: number): void {
		if (this.stopped) return;
		const backoff = backoffDelay(this.state.failures - 1, this.options.random);
		const delay =
			retryAfterMs && retryAfterMs > 0
				? Math.max(backoff, retryAfterDelay(retryAfterMs, this.options.random))
				: backoff;
		const now = this.options.now?.() ?? Date.now();
		this.state.nextRetryAt = now + delay;
		this.emit();
		const setTimer = this.options.setTimer ?? ((cb, ms) => setTimeout(cb, ms));
		this.timer = setTimer(() => {
			this.timer = null;
			void this.requestSync();
		}, delay);
	}

	private cancelTimer(): void {
		if (this.timer === null) return;
		(this.options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>)))(
			this.timer
		);
		this.timer = null;
	}

	private setRunning(running: boolean): void {
		this.state.running = running;
		this.emit();
	}

	private emit(): void {
		this.options.onState?.(this.getState());
	}
}
