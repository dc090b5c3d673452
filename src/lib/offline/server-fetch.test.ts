import { describe, expect, it, vi } from 'vitest';
import { ServerClock } from './clock';
import { subscribe, type CounterEvent } from './events';
import { createObservingFetch } from './server-fetch';

const answer = (headers: Record<string, string>, status = 200) =>
	new Response('{}', { status, headers: { 'content-type': 'application/json', ...headers } });

describe('the observing fetch and a revoked terminal (issue 19)', () => {
	it('tells of a revocation from any answer, before the caller sees it', async () => {
		const order: string[] = [];
		const observing = createObservingFetch(
			new ServerClock(),
			async () => answer({ 'x-kopek-terminal': 'revoked' }, 403),
			() => order.push('revoked')
		);
		await observing('/api/trpc/customers.lookup').then(() => order.push('answered'));
		expect(order).toEqual(['revoked', 'answered']);
	});

	it('says nothing for an answer without the mark', async () => {
		const onRevoked = vi.fn();
		const observing = createObservingFetch(new ServerClock(), async () => answer({}), onRevoked);
		await observing('/api/trpc/auth.me');
		expect(onRevoked).not.toHaveBeenCalled();
	});

	it('by default, publishes it to the counter’s listeners (every tab, the worker)', async () => {
		const events: CounterEvent[] = [];
		const stop = subscribe((event) => events.push(event));
		try {
			const observing = createObservingFetch(new ServerClock(), async () =>
				answer({ 'x-kopek-terminal': 'revoked' })
			);
			await observing('/api/trpc/payments.sync');
		} finally {
			stop();
		}
		expect(events).toContainEqual({ type: 'terminal-revoked' });
	});
});
