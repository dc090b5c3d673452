import { SERVER_TIME_HEADER } from '../domain/server-time';
import { getMeta, setMeta } from './db';
/** The device clock is called wrong past this difference from the server's. */
export const CLOCK_WARN_MS = 2 * 60_000;
/** A sample this much further from the estimate than the round trips explain: the clock moved. */
const JUMP_MS = 5_000;
const SAMPLES_KEPT = 8;
const CLOCK_KEY = 'serverClock';
/** Persist again when the estimate moved this much, or when the stored one is this old. */
const PERSIST_DELTA_MS = 250;
const PERSIST_AGE_MS = 10 * 60_000;

/** What one answer taught: server time minus device time, and how precise that is. */
export interface ClockEstimate {
	offsetMs: number;
	/** The round trip (plus the header's own resolution): the error is at most half of it. */
	rttMs: number;
	/** Device time of the answer. */
	at: number;
}

/**
 * The server's clock as the counter knows it. Every answer of the server is a sample (NTP's
 * idea: the server's time was taken about half way through the round trip); the estimate is
 * the sample with the shortest round trip among the last few, so one slow answer does not
 * move it. A sample far off the estimate means the device clock was changed: the old ones
 * are dropped. Without any sample the device's clock is used as it is.
 */
export class ServerClock {
	private samples: ClockEstimate[] = [];
	private stored: ClockEstimate | null = null;
	private loaded: Promise<void> | null = null;
	private readonly listeners = new Set<() => void>();
	private persist: ((estimate: ClockEstimate) => Promise<void>) | null = null;

	constructor(private readonly deviceNow: () => number = () => Date.now()) {}

	/** One answer: the server's time, and the device's when the call left and came back. */
	observe(serverMs: number, sentAt: number, receivedAt: number, uncertaintyMs = 0): void {
		if (!Number.isFinite(serverMs) || !(receivedAt >= sentAt)) return;
		const sample: ClockEstimate = {
			offsetMs: Math.round(serverMs - (sentAt + receivedAt) / 2),
			rttMs: receivedAt - sentAt + uncertaintyMs,
			at: receivedAt
		};
		const current = this.estimate();
		if (
			current &&
			Math.abs(sample.offsetMs - current.offsetMs) > JUMP_MS + sample.rttMs + current.rttMs
		) {
			this.samples = [];
		}
		this.samples.push(sample);
		if (this.samples.length > SAMPLES_KEPT) this.samples.shift();
		const next = this.estimate()!;
		if (!current || next.offsetMs !== current.offsetMs) {
			for (const listener of this.listeners) listener();
		}
		this.maybePersist(next);
	}

	/** Reads the server's time from a response: our header, else the coarser `Date`. */
	observeResponse(headers: Headers, sentAt: number, receivedAt: number): void {
		const precise = Number(headers.get(SERVER_TIME_HEADER) ?? NaN);
		if (Number.isFinite(precise) && precise > 0) {
			this.observe(precise, sentAt, receivedAt);
			return;
		}
		const date = Date.parse(headers.get('date') ?? '');
		// `Date` has whole seconds: the true time lies in [date, date + 1 s).
		if (Number.isFinite(date)) this.observe(date + 500, sentAt, receivedAt, 1000);
	}

	/** The current best estimate (this realm's samples, else the one stored on the device). */
	estimate(): ClockEstimate | null {
		if (this.samples.length === 0) return this.stored;
		return this.samples.reduce((best, s) => (s.rttMs < best.rttMs ? s : best));
	}

	/** Server time minus device time in ms, or null when the server was never heard. */
	offsetMs(): number | null {
		return this.estimate()?.offsetMs ?? null;
	}

	/** The server's time now, as well as the device can tell. */
	now(): number {
		return this.deviceNow() + (this.offsetMs() ?? 0);
	}

	deviceTime(): number {
		return this.deviceNow();
	}

	/** Calls back when the estimate changes; returns the unsubscribe function. */
	subscribe(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/**
	 * Keeps the estimate in IndexedDB so that a counter reloaded offline still corrects its
	 * clock; loads the stored one. The counter pages and the service worker turn it on.
	 */
	enablePersistence(
		read: () => Promise<ClockEstimate | undefined> = () => getMeta<ClockEstimate>(CLOCK_KEY),
		write: (estimate: ClockEstimate) => Promise<void> = (e) => setMeta(CLOCK_KEY, e)
	): Promise<void> {
		this.persist = write;
		this.loaded ??= read()
			.then((stored) => {
				if (stored && typeof stored.offsetMs === 'number') {
					const hadNone = this.samples.length === 0 && !this.stored;
					this.stored = stored;
					if (hadNone) for (const listener of this.listeners) listener();
				}
			})
			.catch(() => {});
		return this.loaded;
	}

	/** Resolves once the stored estimate (if persistence is on) has been read. */
	ready(): Promise<void> {
		return this.loaded ?? Promise.resolve();
	}

	private maybePersist(estimate: ClockEstimate): void {
		if (!this.persist) return;
		const stored = this.stored;
		if (
			stored &&
			Math.abs(stored.offsetMs - estimate.offsetMs) < PERSIST_DELTA_MS &&
			estimate.at - stored.at < PERSIST_AGE_MS
		) {
			return;
		}
		this.stored = estimate;
		void this.persist(estimate).catch(() => {});
	}
}

/** This realm's (page or service worker) view of the server's clock. */
export const serverClock = new ServerClock();
