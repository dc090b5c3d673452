/**
 * An in-process signal from a transaction that wrote webhook events, sent after its COMMIT, to
 * this process's delivery worker (services/webhook-worker.ts): the worker claims them within
 * its batching window instead of at its next poll. Only a wake-up: the outbox in the database
 * stays the truth, and the poll still finds what other processes (or writers that do not
 * signal) committed.
 */
type Listener = () => void;

const listeners = new Set<Listener>();

/** Tells this process's worker that committed events wait (cheap: no work when none listens). */
export function webhookEventsCommitted(): void {
	for (const listener of listeners) listener();
}

/** Subscribes to webhookEventsCommitted; returns the unsubscribe function. */
export function onWebhookEventsCommitted(listener: Listener): () => void {
	listeners.add(listener);
	return () => listeners.delete(listener);
}
