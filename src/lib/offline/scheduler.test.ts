import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SyncCallError, type DrainResult } from './engine';
import {
	BACKOFF_MAX_MS,
	BACKOFF_MIN_MS,
	backoffDelay,
	SyncScheduler,
	type LockManagerLike
} from './scheduler';

const OK: DrainResult = { sent: 1, acknowledged: 1, attention: 0 };

/** A manual clock: timers fire only when the test says so. */
function manualTimers() {
	const pending: { callback: () => void; ms: number }[] = [];
	return {
		pending,
		setTimer: (callback: () => void, ms: number) => {
			const entry = { callback, ms };
			pending.push(entry);
			return entry;
		},
		clearTimer: (handle: unknown) => {
			const i = pending.indexOf(handle as (typeof pending)[number]);
			if (i >= 0) pending.splice(i, 1);
		},
		fireNext() {
			const next = pending.shift();
			next?.callback();
			return next?.ms;
		}
	};
}

/** Web Locks semantics in memory: holders queue and run one at a time. */
function memoryLocks(): LockManagerLike & { maxHeld: number } {
	let tail: Promise<unknown> = Promise.resolve();
	let held = 0;
	const locks = {
		maxHeld: 0,
		request<T>(_name: string, callback: () => Promise<T>): Promise<T> {
			const run = tail.then(async () => {
				held++;
				locks.maxHeld = Math.max(locks.maxHeld, held);
				try {
					return await callback();
				} finally {
					held--;
				}
			});
			tail = run.catch(() => {});
			return run;
		}
	};
	return locks;
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('backoffDelay', () => {
	it('grows exponentially from 1 s and stays within 1 s .. 5 min with jitter', () => {
		expect(backoffDelay(0, () => 0.5)).toBe(1000);
		expect(backoffDelay(1, () => 0.5)).toBe(2000);
		expect(backoffDelay(5, () => 0.5)).toBe(32_000);
		expect(backoffDelay(30, () => 0.5)).toBe(BACKOFF_MAX_MS);
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 100 }),
				fc.double({ min: 0, max: 0.999999, noNaN: true }),
				(attempt, r) => {
					const delay = backoffDelay(attempt, () => r);
					expect(delay).toBeGreaterThanOrEqual(BACKOFF_MIN_MS);
					expect(delay).toBeLessThanOrEqual(BACKOFF_MAX_MS);
				}
			)
		);
	});

	it('spreads retries: different random draws give different delays', () => {
		expect(backoffDelay(4, () => 0)).toBe(8000);
		expect(backoffDelay(4, () => 0.99)).toBe(23_840);
	});
});

describe('SyncScheduler', () => {
	it('retries a transient failure with growing delays and resets after a success', async () => {
		const timers = manualTimers();
		let failuresLeft = 3;
		const scheduler = new SyncScheduler({
			drain: async () => {
				if (failuresLeft-- > 0) throw new SyncCallError('network', 'offline');
				return OK;
			},
			random: () => 0.5,
			...timers
		});
		await scheduler.requestSync();
		const delays: (number | undefined)[] = [];
		for (let i = 0; i < 3; i++) {
			delays.push(timers.fireNext());
			await tick();
		}
		expect(delays).toEqual([1000, 2000, 4000]);
		expect(scheduler.getState()).toMatchObject({
			failures: 0,
			lastFailure: null,
			nextRetryAt: null
		});
		expect(timers.pending).toHaveLength(0);
	});

	it('does not retry a user who may not sync at all', async () => {
		const timers = manualTimers();
		const scheduler = new SyncScheduler({
			drain: async () => {
				throw new SyncCallError('forbidden', 'not a company');
			},
			...timers
		});
		await scheduler.requestSync();
		expect(timers.pending).toHaveLength(0);
		expect(scheduler.getState().lastFailure).toBe('forbidden');
	});

	it('a new request skips the backoff wait; going online forgets it', async () => {
		const timers = manualTimers();
		let calls = 0;
		const scheduler = new SyncScheduler({
			drain: async () => {
				calls++;
				throw new SyncCallError('network', 'offline');
			},
			random: () => 0.5,
			...timers
		});
		await scheduler.requestSync();
		await scheduler.requestSync();
		expect(calls).toBe(2);
		expect(timers.pending.map((t) => t.ms)).toEqual([2000]);
		scheduler.resetBackoff();
		expect(timers.pending).toHaveLength(0);
		await scheduler.requestSync();
		expect(timers.pending.map((t) => t.ms)).toEqual([1000]);
	});

	it('merges requests made during a drain into exactly one more drain', async () => {
		let release!: () => void;
		let calls = 0;
		const scheduler = new SyncScheduler({
			drain: async () => {
				calls++;
				if (calls === 1) await new Promise<void>((r) => (release = r));
				return OK;
			}
		});
		const first = scheduler.requestSync();
		await tick();
		const joined = [scheduler.requestSync(), scheduler.requestSync(), scheduler.requestSync()];
		release();
		await Promise.all([first, ...joined]);
		expect(calls).toBe(2);
	});

	it('runs one drain at a time across schedulers sharing the lock (tabs, worker)', async () => {
		const locks = memoryLocks();
		let inside = 0;
		let maxInside = 0;
		const drain = async () => {
			inside++;
			maxInside = Math.max(maxInside, inside);
			await tick();
			inside--;
			return OK;
		};
		const tabs = [1, 2, 3].map(() => new SyncScheduler({ drain, locks }));
		await Promise.all(tabs.flatMap((tab) => [tab.requestSync(), tab.requestSync()]));
		expect(maxInside).toBe(1);
		expect(locks.maxHeld).toBe(1);
	});
});
