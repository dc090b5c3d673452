import { trpc } from '../trpc';
import type { OutboxOperation } from './db';
import { subscribe, type DrainProgress } from './events';
import {
	cacheCustomers,
	getCachedIdentity,
	getDevice,
	getLastSyncAt,
	saveIdentity,
	type CachedIdentity,
	type DeviceRecord
} from './identity';
import { serverClock } from './clock';
import { listOutbox } from './outbox';
import { requestPersistentStorage, type PersistenceState } from './storage';
import { SyncScheduler, type SchedulerState } from './scheduler';
import { BACKGROUND_SYNC_TAG, drainCounterOutbox, webLocks } from './sync';
import { checkTerminal, markRevoked } from './terminal-identity';
import { forgetRetiredTill } from './till-check';

export type IdentityCheck =
	| { kind: 'ok'; identity: CachedIdentity }
	| { kind: 'anonymous' }
	| { kind: 'other-role'; role: Exclude<CachedIdentity['role'], 'terminal'> }
	| { kind: 'unpaired' }
	| { kind: 'unreachable' };

/**
 * How often a paired terminal refreshes its cashiers after syncs, and asks the server about
 * itself while it is open and idle (so an idle terminal learns of its revocation too).
 */
const TERMINAL_REFRESH_MS = 30_000;

type Me = Awaited<ReturnType<typeof trpc.auth.me.query>>;
const askMe = (): Promise<Me> =>
	trpc.auth.me.query(undefined, { signal: AbortSignal.timeout(8000) });

/**
 * The counter's live state for the screens: who is signed in (from the server when it
 * answers, else from IndexedDB), this device's terminal, the outbox and the sync loop.
 * One instance per tab; every tab and the service worker share the same IndexedDB.
 */
export class CounterState {
	identity = $state<CachedIdentity | null>(null);
	identityLoaded = $state(false);
	/** The last identity check failed (no network, or it broke); until then, one may be on its way. */
	identityFailed = $state(false);
	device = $state<DeviceRecord | null>(null);
	deviceLoaded = $state(false);
	online = $state(true);
	outbox = $state<OutboxOperation[]>([]);
	lastSyncAt = $state<string | null>(null);
	progress = $state<DrainProgress | null>(null);
	unauthorized = $state(false);
	scheduler = $state<SchedulerState>({
		running: false,
		failures: 0,
		lastFailure: null,
		nextRetryAt: null
	});
	now = $state(Date.now());
	/** Server time minus device time (ms), once the server was heard; see `clock.ts`. */
	clockOffsetMs = $state<number | null>(null);
	/** Whether the browser keeps the counter's data for good (asked once a terminal exists). */
	storagePersistence = $state<PersistenceState | null>(null);

	readonly waiting = $derived(this.outbox.filter((op) => op.status === 'waiting'));
	readonly attention = $derived(this.outbox.filter((op) => op.status !== 'waiting'));
	readonly oldestWaitingAt = $derived(this.waiting[0]?.occurredAt ?? null);
	/** Nobody cached, and the server may still say who it is: online, its check not failed. */
	readonly identityPending = $derived(!this.identity && this.online && !this.identityFailed);
	/** A paired terminal the admin revoked: no new payments; the unsent ones stay visible. */
	readonly revoked = $derived(
		!!this.identity?.terminal?.revoked || this.outbox.some((op) => op.reason === 'terminal_revoked')
	);
	private terminalCheckedAt = 0;
	private earlyMe: { me: Promise<Me>; at: number } | null = null;

	private syncScheduler: SyncScheduler | null = null;
	private started = false;

	/** Reads everything local; safe to call before the network answers. */
	async loadLocal(): Promise<void> {
		this.identity = await getCachedIdentity();
		await Promise.all([this.refreshOutbox(), this.loadDevice()]);
		this.lastSyncAt = await getLastSyncAt();
		// Only now: the status must never claim "all sent" before the outbox was read.
		this.identityLoaded = true;
	}

	async refreshOutbox(): Promise<void> {
		this.outbox = await listOutbox();
	}

	async loadDevice(): Promise<void> {
		this.device = this.identity ? await getDevice(this.identity.company.id) : null;
		this.deviceLoaded = true;
		// A terminal holds payments no server has yet: ask the browser to keep its data.
		if (this.device && this.storagePersistence === null) void this.askPersistentStorage();
	}

	/** Asks for persistent storage (a terminal was registered) and keeps the answer to show. */
	async askPersistentStorage(): Promise<PersistenceState> {
		this.storagePersistence = await requestPersistentStorage();
		return this.storagePersistence;
	}

	/** Starts listening and syncing (once per tab). */
	start(): () => void {
		if (this.started) return () => {};
		this.started = true;
		this.online = navigator.onLine;
		const scheduler = new SyncScheduler({
			drain: () =>
				drainCounterOutbox((batch, { signal }) => trpc.payments.sync.mutate(batch, { signal })),
			locks: webLocks(),
			onState: (state) => (this.scheduler = state)
		});
		this.syncScheduler = scheduler;

		const unsubscribe = subscribe((event) => {
			if (event.type === 'outbox-changed') void this.refreshOutbox();
			else if (event.type === 'terminal-revoked') this.learnRevoked();
			else if (event.type === 'sync-progress') this.progress = event.progress;
			else if (event.type === 'sync-finished') {
				this.unauthorized = !event.ok && !!event.unauthorized;
				if (event.ok) void getLastSyncAt().then((at) => (this.lastSyncAt = at));
				if (event.ok) void this.afterTerminalSync();
				void this.refreshOutbox();
				// A terminal the server no longer knows is forgotten by the drain: ask for it again.
				void this.loadDevice();
			}
		});
		const onOnline = () => {
			this.online = true;
			scheduler.resetBackoff();
			void this.syncNow();
			void this.refreshTerminal(true);
		};
		const onOffline = () => (this.online = false);
		const onVisible = () => {
			if (document.visibilityState !== 'visible') return;
			void this.syncNow();
			void this.refreshTerminal();
		};
		window.addEventListener('online', onOnline);
		window.addEventListener('offline', onOffline);
		document.addEventListener('visibilitychange', onVisible);
		const clock = setInterval(() => {
			this.now = Date.now();
			if (navigator.onLine && document.visibilityState === 'visible') void this.refreshTerminal();
		}, 15_000);

		const stopClock = serverClock.subscribe(() => (this.clockOffsetMs = serverClock.offsetMs()));
		void serverClock.enablePersistence().then(() => (this.clockOffsetMs = serverClock.offsetMs()));
		void this.syncNow();

		return () => {
			unsubscribe();
			window.removeEventListener('online', onOnline);
			window.removeEventListener('offline', onOffline);
			document.removeEventListener('visibilitychange', onVisible);
			clearInterval(clock);
			stopClock();
			scheduler.stop();
			this.started = false;
		};
	}

	/** Runs the sync loop now (it joins a running one). */
	syncNow(): Promise<void> {
		return this.syncScheduler?.requestSync() ?? Promise.resolve();
	}

	/** After a new operation: sync now, and let Background Sync finish it if the tab closes. */
	afterEnqueue(): void {
		void this.syncNow();
		void navigator.serviceWorker?.ready
			.then((registration) => {
				const sync = (
					registration as ServiceWorkerRegistration & {
						sync?: { register(tag: string): Promise<void> };
					}
				).sync;
				return sync?.register(BACKGROUND_SYNC_TAG);
			})
			.catch(() => {});
	}

	/**
	 * Asks the server who is signed in and caches it with the company's rate; also refreshes
	 * the local cache of recent customers. Offline, answers `unreachable` and keeps the cache.
	 */
	async checkIdentity(): Promise<IdentityCheck> {
		const check = await this.askIdentity().catch((error: unknown) => {
			this.identityFailed = true;
			throw error;
		});
		this.identityFailed = check.kind === 'unreachable';
		return check;
	}

	private async askIdentity(): Promise<IdentityCheck> {
		// an answer asked for this page's start, not one left from an earlier visit
		const early = this.earlyMe && Date.now() - this.earlyMe.at < 10_000 ? this.earlyMe.me : null;
		this.earlyMe = null;
		if (this.identity?.role === 'terminal') return this.checkAsTerminal();
		let me: Me;
		try {
			me = await (early ?? askMe());
		} catch {
			return { kind: 'unreachable' };
		}
		if (!me) {
			// Nobody signed in: perhaps a paired terminal (its own cookie).
			const asTerminal = await this.checkAsTerminal();
			return asTerminal.kind === 'unpaired' ? { kind: 'anonymous' } : asTerminal;
		}
		if (me.role !== 'company' || !me.company) return { kind: 'other-role', role: me.role };
		const identity = await saveIdentity({
			userId: me.id,
			email: me.email,
			role: me.role,
			locale: me.locale,
			company: {
				id: me.company.id,
				name: me.company.name,
				status: me.company.status,
				timeZone: me.company.timeZone,
				rateBp: me.company.rateBp ?? null,
				campaigns: me.company.campaigns,
				campaignCapBp: me.company.campaignCapBp
			}
		});
		return this.adopt(identity);
	}

	/**
	 * Asks `auth.me` at once, before IndexedDB is read and the page renders (the layout's load):
	 * the question checkIdentity asks next anyway, so the answer is on its way a few hundred ms
	 * sooner on a slow tablet. Only the next checkIdentity takes it.
	 */
	prefetchIdentity(): void {
		if (!navigator.onLine) return;
		const me = askMe();
		me.catch(() => {}); // checkIdentity sees the failure
		this.earlyMe = { me, at: Date.now() };
	}

	/** A paired terminal (SPEC C10): its identity and cashiers come from `terminal.me`. */
	async checkAsTerminal(): Promise<IdentityCheck> {
		const result = await checkTerminal();
		this.terminalCheckedAt = Date.now();
		if (result.kind === 'unreachable') return result;
		if (result.kind === 'none') return { kind: 'unpaired' };
		if (result.kind === 'revoked') {
			if (result.identity) this.identity = result.identity;
			return this.identity ? { kind: 'ok', identity: this.identity } : { kind: 'unpaired' };
		}
		const identity = result.identity;
		return this.adopt(identity);
	}

	/** A checked identity becomes the counter's: its device, recent customers, a sync. */
	private async adopt(identity: CachedIdentity): Promise<IdentityCheck> {
		this.identity = identity;
		this.unauthorized = false;
		await this.loadDevice();
		// The admin may have retired this profile's till in «Кассы» meanwhile.
		const device = this.device;
		if (identity.role === 'company' && device) {
			void forgetRetiredTill(identity.company.id, device.deviceId).then(async (forgotten) => {
				if (forgotten) await this.loadDevice();
			});
		}
		void trpc.customers.recent
			.query()
			.then((customers) => cacheCustomers(identity.company.id, customers))
			.catch(() => {});
		void this.syncNow();
		return { kind: 'ok', identity };
	}

	/** After a sync: a refused terminal is marked so; a working one refreshes its cashiers. */
	private async afterTerminalSync(): Promise<void> {
		if (this.identity?.role !== 'terminal') return;
		const outbox = await listOutbox();
		if (outbox.some((op) => op.reason === 'terminal_revoked')) {
			this.identity = (await markRevoked()) ?? this.identity;
			return;
		}
		await this.refreshTerminal();
	}

	/** Asks the server about this terminal (its cashiers, whether it was revoked), at most every 30 s. */
	private async refreshTerminal(force = false): Promise<void> {
		const terminal = this.identity?.terminal;
		if (this.identity?.role !== 'terminal' || !terminal || terminal.revoked) return;
		if (!force && Date.now() - this.terminalCheckedAt < TERMINAL_REFRESH_MS) return;
		this.terminalCheckedAt = Date.now();
		const result = await checkTerminal();
		if (result.kind === 'ok' || result.kind === 'revoked')
			this.identity = result.identity ?? this.identity;
	}

	/**
	 * An answer said this terminal was revoked: the screens stop taking payments at once (this
	 * runs before the caller gets its answer), and the mark is kept in IndexedDB.
	 */
	private learnRevoked(): void {
		const identity = this.identity;
		if (identity?.role !== 'terminal' || !identity.terminal || identity.terminal.revoked) return;
		this.identity = { ...identity, terminal: { ...identity.terminal, revoked: true } };
		void markRevoked().catch(() => {});
	}
}

/** The tab's counter state (the counter pages render in the browser only). */
export const counter = new CounterState();
