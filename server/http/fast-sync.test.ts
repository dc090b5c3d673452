import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { requestCookieJar } from './cookie-jar';
import { clientAddress, requestOrigin } from './fast-sync';

const saved = { ...process.env };
afterEach(() => {
	for (const name of ['ORIGIN', 'PROTOCOL_HEADER', 'HOST_HEADER', 'PORT_HEADER']) {
		if (saved[name] === undefined) delete process.env[name];
		else process.env[name] = saved[name];
	}
	delete process.env.ADDRESS_HEADER;
	delete process.env.XFF_DEPTH;
});

describe('the fast path reads a request as adapter-node does', () => {
	it('origin: ORIGIN, else the protocol header and host', () => {
		process.env.PROTOCOL_HEADER = 'x-kopek-connection-proto';
		delete process.env.ORIGIN;
		expect(requestOrigin({ host: 'shop.test:3000', 'x-kopek-connection-proto': 'http' })).toBe(
			'http://shop.test:3000'
		);
		expect(requestOrigin({ host: 'shop.test' })).toBe('https://shop.test');
		expect(() => requestOrigin({ host: 'a', 'x-kopek-connection-proto': 'http://evil' })).toThrow();
		expect(() => requestOrigin({})).toThrow();
		process.env.ORIGIN = 'https://kopek.example';
		expect(requestOrigin({ host: 'other' })).toBe('https://kopek.example');
	});

	it('address: the socket, or ADDRESS_HEADER with XFF_DEPTH', () => {
		const req = (headers: Record<string, string>) =>
			({ headers, socket: { remoteAddress: '10.0.0.9' } }) as unknown as IncomingMessage;
		expect(clientAddress(req({}))).toBe('10.0.0.9');
		process.env.ADDRESS_HEADER = 'X-Forwarded-For';
		expect(clientAddress(req({ 'x-forwarded-for': '203.0.113.5, 10.0.0.1' }))).toBe('10.0.0.1');
		process.env.XFF_DEPTH = '2';
		expect(clientAddress(req({ 'x-forwarded-for': '203.0.113.5, 10.0.0.1' }))).toBe('203.0.113.5');
		process.env.XFF_DEPTH = '3';
		expect(() => clientAddress(req({ 'x-forwarded-for': '203.0.113.5, 10.0.0.1' }))).toThrow();
		expect(() => clientAddress(req({}))).toThrow();
	});
});

describe('requestCookieJar', () => {
	const local = new URL('http://localhost:3000/api/trpc/payments.sync');
	const remote = new URL('https://kopek.example/api/trpc/payments.sync');

	it('reads the Cookie header (the first of a name wins, values decoded)', () => {
		const jar = requestCookieJar('a=1; kopek_session=abc%3D; a=2; junk', local);
		expect(jar.get('a')).toBe('1');
		expect(jar.get('kopek_session')).toBe('abc=');
		expect(jar.get('junk')).toBeUndefined();
		expect(jar.setCookieHeaders()).toEqual([]);
	});

	it("sets cookies with SvelteKit's defaults and deletes them", () => {
		const expires = new Date('2027-01-01T00:00:00Z');
		const jar = requestCookieJar(null, remote);
		jar.set('kopek_session', 'tok', { path: '/', expires });
		jar.set('plain', 'v', { path: '/', httpOnly: false, sameSite: 'strict', secure: false });
		jar.delete('gone', { path: '/' });
		expect(jar.setCookieHeaders()).toEqual([
			'kopek_session=tok; Path=/; Expires=Fri, 01 Jan 2027 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax',
			'plain=v; Path=/; SameSite=Strict',
			'gone=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Secure; SameSite=Lax'
		]);
		expect(jar.get('kopek_session')).toBe('tok');
		expect(jar.get('gone')).toBeUndefined();
		const onLocalhost = requestCookieJar(null, local);
		onLocalhost.set('kopek_session', 'tok', { path: '/' });
		expect(onLocalhost.setCookieHeaders()[0]).not.toContain('Secure');
	});
});
