import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { retryAfterOf, tooManyRequests, waitTextRu } from './too-many-requests';

describe('too many requests', () => {
	it('says the wait in seconds under two minutes, else in whole minutes up', () => {
		expect(waitTextRu(35)).toBe('35 с');
		expect(waitTextRu(119)).toBe('119 с');
		expect(waitTextRu(121)).toBe('3 мин');
	});

	it('gives the Retry-After of the longest limit among the errors, none for others', () => {
		expect(retryAfterOf([new TRPCError({ code: 'FORBIDDEN' })])).toBeNull();
		expect(
			retryAfterOf([
				tooManyRequests('a', 10),
				new TRPCError({ code: 'BAD_REQUEST' }),
				tooManyRequests('b', 40)
			])
		).toBe(40);
		expect(tooManyRequests('Слишком много', 5).code).toBe('TOO_MANY_REQUESTS');
	});
});
