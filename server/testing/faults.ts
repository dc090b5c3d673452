import { getConfig } from '../config';

/**
 * A customer ID that makes `payments.sync` fail with a server error (500) for the whole
 * batch, as a bug triggered by one operation's content would — but only when
 * `KOPEK_TEST_FAULTS=1` (set by `scripts/e2e.js`; off by default, never set it in
 * production). The browser tests use it to prove that one poisoned operation never blocks
 * a counter's outbox.
 */
export const FAULT_CUSTOMER_ID = '500500500500';

/** Whether a batch carries an operation that a test fault makes the server fail on. */
export function hasSyncFault(
	operations: readonly { customerId: string }[],
	enabled = getConfig().KOPEK_TEST_FAULTS
): boolean {
	return enabled && operations.some((op) => op.customerId === FAULT_CUSTOMER_ID);
}

/** tRPC middleware of `payments.sync`: throws as a broken server would on a faulty batch. */
export function injectSyncFault<T>(opts: {
	input: { operations: readonly { customerId: string }[] };
	next: () => T;
}): T {
	if (hasSyncFault(opts.input.operations)) {
		throw new Error('test fault: an operation this server cannot store');
	}
	return opts.next();
}
