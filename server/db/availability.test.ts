import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './availability';

describe('isDatabaseUnavailable during a failover', () => {
	it('takes a write refused by a standby (25006) as unavailable: 503, the counter retries', () => {
		const error = Object.assign(new Error('cannot execute INSERT in a read-only transaction'), {
			code: '25006'
		});
		expect(isDatabaseUnavailable(error)).toBe(true);
		expect(isDatabaseUnavailable(new Error('sync failed', { cause: error }))).toBe(true);
	});

	it('still answers a genuine query error as such', () => {
		expect(isDatabaseUnavailable({ code: '25001' })).toBe(false); // active_sql_transaction
		expect(isDatabaseUnavailable({ code: '23505' })).toBe(false);
	});
});
