import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../db/types';
import type { SyncCall } from './payment-sync';
import { SyncCoalescer } from './sync-coalescer';

/** A database whose every transaction fails with `error`; counts the transactions begun. */
function failingDatabase(error: Error) {
	const db = {
		began: 0,
		transaction() {
			return {
				execute: async () => {
					db.began++;
					throw error;
				}
			};
		}
	};
	return db;
}

const call = (n: number): SyncCall => ({
	companyId: 1,
	deviceId: `0190d000-0000-7000-8000-00000000000${n}`,
	createdBy: null,
	operations: [
		{
			id: `01900000-0000-7000-8000-00000000000${n}`,
			customerId: '123455',
			amountKopecks: 100_00,
			occurredAt: new Date().toISOString()
		}
	]
});

async function syncFour(error: Error) {
	const db = failingDatabase(error);
	const coalescer = new SyncCoalescer(db as unknown as Kysely<Database>, {
		inFlight: 1,
		calls: 32,
		operations: 1000
	});
	const settled = await Promise.allSettled([1, 2, 3, 4].map((n) => coalescer.sync(call(n))));
	return { began: db.began, settled };
}

describe('a failed sync group', () => {
	it('with the database away, answers every call with that error at once', async () => {
		const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
		const { began, settled } = await syncFour(down);
		// The first call alone, then the three that waited as one group: no call is retried.
		expect(began).toBe(2);
		expect(settled.map((s) => s.status === 'rejected' && s.reason)).toEqual([
			down,
			down,
			down,
			down
		]);
	});

	it('for any other failure, runs each call of the group alone', async () => {
		const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
		const { began, settled } = await syncFour(deadlock);
		// The first alone, the group of three, then each of the three alone.
		expect(began).toBe(5);
		expect(settled.every((s) => s.status === 'rejected')).toBe(true);
	});
});
