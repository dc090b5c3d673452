import { describe, expect, it } from 'vitest';
import { isCrossSiteRequest } from './csrf';

const ORIGIN = 'https://kopek.example';
const post = (headers: Record<string, string>, method = 'POST') =>
	new Request(`${ORIGIN}/api/trpc/payments.sync`, { method, headers });

describe('isCrossSiteRequest', () => {
	it('refuses a JSON POST whose Origin is another site', () => {
		expect(
			isCrossSiteRequest(
				post({ origin: 'https://evil.example', 'content-type': 'application/json' }),
				ORIGIN
			)
		).toBe(true);
	});
	it('refuses when the browser says cross-site or same-site, whatever the Origin', () => {
		expect(isCrossSiteRequest(post({ 'sec-fetch-site': 'cross-site' }), ORIGIN)).toBe(true);
		expect(
			isCrossSiteRequest(post({ 'sec-fetch-site': 'same-site', origin: ORIGIN }), ORIGIN)
		).toBe(true);
	});
	it('allows our own origin, and clients that send neither header', () => {
		expect(
			isCrossSiteRequest(post({ origin: ORIGIN, 'sec-fetch-site': 'same-origin' }), ORIGIN)
		).toBe(false);
		expect(isCrossSiteRequest(post({}), ORIGIN)).toBe(false);
	});
	it('never blocks reads', () => {
		expect(isCrossSiteRequest(post({ origin: 'https://evil.example' }, 'GET'), ORIGIN)).toBe(false);
	});
	it('treats another port or scheme as another origin', () => {
		expect(isCrossSiteRequest(post({ origin: 'http://kopek.example' }), ORIGIN)).toBe(true);
		expect(isCrossSiteRequest(post({ origin: 'https://kopek.example:8443' }), ORIGIN)).toBe(true);
	});
});
