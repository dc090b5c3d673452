/**
 * Change notifications for the counter's local data, in this realm and across tabs and the
 * service worker (BroadcastChannel). Listeners re-read IndexedDB: messages carry no data
 * that could go stale.
 */
export const CHANNEL_NAME = 'kopek-counter';

/** Progress of a running drain, for "синхронизировано 120 из 500". */
export interface DrainProgress {
	done: number;
	total: number;
}

export type CounterEvent =
	| { type: 'outbox-changed' }
	| { type: 'sync-progress'; progress: DrainProgress | null }
	| { type: 'sync-finished'; at: string; ok: boolean; unauthorized?: boolean }
	/** An answer of the server said this paired terminal was revoked (x-kopek-terminal). */
	| { type: 'terminal-revoked' };

type Listener = (event: CounterEvent) => void;

const listeners = new Set<Listener>();
let channel: BroadcastChannel | null | undefined;

function getChannel(): BroadcastChannel | null {
	if (channel === undefined) {
		channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL_NAME);
		channel?.addEventListener('message', (message: MessageEvent<CounterEvent>) => {
			for (const listener of listeners) listener(message.data);
		});
	}
	return channel;
}

/** Tells this realm's listeners and every other tab or worker. */
export function publish(event: CounterEvent): void {
	for (const listener of listeners) listener(event);
	getChannel()?.postMessage(event);
}

/** Listens to every counter event; returns the unsubscribe function. */
export function subscribe(listener: Listener): () => void {
	getChannel();
	listeners.add(listener);
	return () => listeners.delete(listener);
}

export function notifyOutboxChanged(): void {
	publish({ type: 'outbox-changed' });
}

/** Fires on any outbox change, in this tab and in others; returns the unsubscribe function. */
export function subscribeOutbox(callback: () => void): () => void {
	return subscribe((event) => {
		if (event.type === 'outbox-changed') callback();
	});
}
