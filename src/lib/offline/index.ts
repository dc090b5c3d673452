/**
 * The counter's offline layer: the IndexedDB outbox, the cached identity and the sync engine.
 * Screens import from here; the service worker imports the plain modules directly.
 */
export type { OutboxOperation, SyncedOperation } from './db';
export {
	enqueueOperation,
	listOutbox,
	countOutbox,
	listNeedsAttention,
	dismissOperation,
	reenterOperation,
	retryOperation,
	StorageRefusal,
	type NewPayment
} from './outbox';
export { listSynced, getSynced } from './synced';
export { subscribeOutbox, subscribe, type CounterEvent, type DrainProgress } from './events';
export {
	getCachedIdentity,
	saveIdentity,
	clearIdentity,
	getDevice,
	saveDevice,
	getLastSyncAt,
	cacheCustomers,
	findCachedCustomer,
	type CachedIdentity,
	type DeviceRecord
} from './identity';
