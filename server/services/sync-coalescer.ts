import type { Kysely } from 'kysely';
import { isDatabaseUnavailable } from '../db/availability';
import type { Database } from '../db/types';
import { syncGroupFallbacks, syncGroupSize } from '../observability/metrics';
import { LookupThrottled } from './customer-probes';
import {
	syncPaymentGroupAnswers,
	syncPayments,
	type SyncCall,
	type SyncOutcome
} from './payment-sync';

/** How a process shares sync transactions among the calls it is answering. */
export interface CoalescerLimits {
	/** Sync transactions one process runs at once; calls beyond wait and then go together. */
	inFlight: number;
	/** The most calls, and operations, one transaction takes (one call always fits). */
	calls: number;
	operations: number;
}

export const DEFAULT_COALESCER_LIMITS: CoalescerLimits = {
	inFlight: 4,
	calls: 32,
	operations: 1000
};

interface Waiting {
	call: SyncCall;
	resolve(outcomes: SyncOutcome[]): void;
	reject(error: unknown): void;
}

/**
 * Group commit for `payments.sync`. A call that finds fewer than `inFlight` sync transactions
 * running starts its own at once (an idle server adds no wait); calls that arrive while all
 * are busy queue, and the next transaction to start takes every call queued (up to the
 * limits) at once: syncPaymentGroup stores them in one transaction with one opening statement
 * and one INSERT, and each call gets exactly the answer it would have had alone. Under load a
 * sync then costs a fraction of a transaction's fixed cost (the round trips, BEGIN and COMMIT,
 * each statement's start-up, the WAL flush) instead of all of it.
 *
 * The sync contract is untouched: a call is answered only after the COMMIT that stored its
 * operations, so an answer still means stored; a group that fails (a deadlock, the closing
 * race, one call's bad input) stored nothing, being one transaction, and then each of its
 * calls runs alone, so it gets its own answer or its own error, as without the group. When the
 * database is away, every call of the group gets that error at once (a 503; its client
 * retries), as it would have alone. Each process
 * groups only its own calls; the database's constraints keep processes consistent as before.
 */
export class SyncCoalescer {
	private readonly queue: Waiting[] = [];
	private inFlight = 0;

	constructor(
		private readonly db: Kysely<Database>,
		private readonly limits: CoalescerLimits = DEFAULT_COALESCER_LIMITS
	) {}

	sync(call: SyncCall): Promise<SyncOutcome[]> {
		return new Promise((resolve, reject) => {
			this.queue.push({ call, resolve, reject });
			this.pump();
		});
	}

	private pump(): void {
		while (this.inFlight < this.limits.inFlight && this.queue.length > 0) {
			const group = this.take();
			this.inFlight++;
			void this.run(group).finally(() => {
				this.inFlight--;
				this.pump();
			});
		}
	}

	/** The calls at the head of the queue that fit in one transaction (at least one). */
	private take(): Waiting[] {
		let count = 0;
		let operations = 0;
		while (count < this.queue.length && count < this.limits.calls) {
			const size = this.queue[count]!.call.operations.length;
			if (count > 0 && operations + size > this.limits.operations) break;
			operations += size;
			count++;
		}
		return this.queue.splice(0, count);
	}

	private async run(group: Waiting[]): Promise<void> {
		syncGroupSize.observe(group.length);
		if (group.length === 1) return this.alone(group[0]!);
		let answers: (SyncOutcome[] | LookupThrottled)[];
		try {
			answers = await syncPaymentGroupAnswers(
				this.db,
				group.map((waiting) => waiting.call)
			);
		} catch (error) {
			// The database away (down, restarting, too slow): each call alone would wait for it
			// again; every call gets the 503 it would have had alone, and its client retries.
			if (isDatabaseUnavailable(error)) {
				for (const waiting of group) waiting.reject(error);
				return;
			}
			// Nothing of the group was stored (one transaction) or, when the failure came after
			// its COMMIT, all of it was: alone, each call stores its operations or reads them back.
			syncGroupFallbacks.inc();
			await Promise.all(group.map((waiting) => this.alone(waiting)));
			return;
		}
		// A call the lookup limit refused fails alone (it stored nothing); the others are answered.
		group.forEach((waiting, i) => {
			const answer = answers[i]!;
			if (answer instanceof LookupThrottled) waiting.reject(answer);
			else waiting.resolve(answer);
		});
	}

	private async alone(waiting: Waiting): Promise<void> {
		try {
			waiting.resolve(await syncPayments(this.db, waiting.call));
		} catch (error) {
			waiting.reject(error);
		}
	}
}

const coalescers = new WeakMap<Kysely<Database>, SyncCoalescer>();

/** Syncs a call through its database's coalescer (one per database handle in a process). */
export function coalescedSync(db: Kysely<Database>, call: SyncCall): Promise<SyncOutcome[]> {
	let coalescer = coalescers.get(db);
	if (!coalescer) {
		coalescer = new SyncCoalescer(db);
		coalescers.set(db, coalescer);
	}
	return coalescer.sync(call);
}
