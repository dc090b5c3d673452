import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeCounterDb, DB_NAME } from './db';
import { getDevice, saveDevice } from './identity';
import { ensureTill, forgetRetiredTill } from './till-check';

vi.mock('../trpc', () => ({ trpc: {} }));

const DEVICE = '0190a000-0000-7000-8000-00000000000d';

beforeEach(async () => {
	await closeCounterDb();
	await new Promise<void>((resolve) => {
		const request = indexedDB.deleteDatabase(DB_NAME);
		request.onsuccess = () => resolve();
	});
});
afterEach(closeCounterDb);

describe('one till per browser profile', () => {
	it('a profile that has a till keeps it: a second registration asks the server nothing', async () => {
		const register = vi.fn(async () => ({ deviceId: DEVICE, name: 'Касса 3' }));
		expect(await ensureTill(7, undefined, register)).toEqual({ deviceId: DEVICE, name: 'Касса 3' });
		expect(await ensureTill(7, 'Другая', register)).toEqual({ deviceId: DEVICE, name: 'Касса 3' });
		expect(register).toHaveBeenCalledTimes(1);
		expect(register).toHaveBeenCalledWith(undefined);
	});

	it('a till retired in «Кассы» is forgotten at the next contact; a working one is kept', async () => {
		await saveDevice(7, { deviceId: DEVICE, name: 'Касса 1' });
		expect(await forgetRetiredTill(7, DEVICE, async () => [{ id: DEVICE, revokedAt: null }])).toBe(
			false
		);
		expect(
			await forgetRetiredTill(7, DEVICE, async () => Promise.reject(new Error('offline')))
		).toBe(false);
		expect(await getDevice(7)).not.toBeNull();
		expect(
			await forgetRetiredTill(7, DEVICE, async () => [{ id: DEVICE, revokedAt: new Date() }])
		).toBe(true);
		expect(await getDevice(7)).toBeNull();
	});
});
