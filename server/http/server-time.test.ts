import { describe, expect, it } from 'vitest';
import { SERVER_TIME_HEADER } from '../../src/lib/domain/server-time';
import { stampServerTime, withServerTime } from './server-time';

describe('the server clock header', () => {
	it('is the middle of the time spent on the request', async () => {
		const before = Date.now();
		const response = await withServerTime(async () => {
			await new Promise((r) => setTimeout(r, 60));
			return new Response('ok');
		});
		const after = Date.now();
		const stamped = Number(response.headers.get(SERVER_TIME_HEADER));
		expect(stamped).toBeGreaterThan(before + 15);
		expect(stamped).toBeLessThan(after - 15);
	});

	it('survives a response with immutable headers', async () => {
		const immutable = Response.redirect('http://localhost/x', 302);
		const stamped = stampServerTime(immutable, 1234);
		expect(stamped.headers.get(SERVER_TIME_HEADER)).toBe('1234');
		expect(stamped.status).toBe(302);
	});
});
