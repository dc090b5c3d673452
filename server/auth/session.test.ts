import { describe, expect, it } from 'vitest';
import {
	generateSessionToken,
	isLocalhost,
	sessionCookieOptions,
	sessionCookieRefused,
	sessionIdFromToken
} from './session';
import { delayAfterFailures } from './throttle';

describe('session tokens', () => {
	it('carry at least 128 random bits and differ every time', () => {
		const tokens = new Set(Array.from({ length: 1000 }, generateSessionToken));
		expect(tokens.size).toBe(1000);
		for (const token of tokens) expect(token.length * 5).toBeGreaterThanOrEqual(128);
	});
	it('are stored as their SHA-256 only', () => {
		const token = generateSessionToken();
		const id = sessionIdFromToken(token);
		expect(id).toMatch(/^[0-9a-f]{64}$/);
		expect(id).not.toContain(token);
		expect(sessionIdFromToken(token)).toBe(id);
	});
});

describe('session cookie', () => {
	const expires = new Date('2030-01-01T00:00:00Z');
	it('is HttpOnly, SameSite=Lax, Path=/ and Secure outside localhost', () => {
		expect(sessionCookieOptions(new URL('https://kopek.example/login'), expires)).toEqual({
			httpOnly: true,
			sameSite: 'lax',
			path: '/',
			secure: true,
			expires
		});
	});
	it('is not Secure on localhost, where browsers allow plain http', () => {
		for (const url of [
			'http://localhost:3000/',
			'http://127.0.0.1:3000/',
			'http://[::1]:3000/',
			'http://kassa.localhost/'
		]) {
			expect(isLocalhost(new URL(url))).toBe(true);
			expect(sessionCookieOptions(new URL(url), expires).secure).toBe(false);
		}
		expect(sessionCookieOptions(new URL('http://192.168.1.10:3000/'), expires).secure).toBe(true);
	});
});

describe('a session cookie the browser would refuse', () => {
	it('is one set Secure over plain http away from localhost', () => {
		expect(sessionCookieRefused(new URL('http://192.168.1.10:3000/login'))).toBe(true);
		expect(sessionCookieRefused(new URL('http://kopek.lan/login'))).toBe(true);
		expect(sessionCookieRefused(new URL('https://192.168.1.10/login'))).toBe(false);
		expect(sessionCookieRefused(new URL('http://localhost:3000/login'))).toBe(false);
		expect(sessionCookieRefused(new URL('http://127.0.0.1:3000/login'))).toBe(false);
		for (const url of ['http://192.168.1.10:3000/', 'https://kopek.lan/', 'http://localhost/']) {
			const secure = sessionCookieOptions(new URL(url), new Date()).secure;
			expect(sessionCookieRefused(new URL(url))).toBe(secure && url.startsWith('http:'));
		}
	});
});

describe('login delay', () => {
	it('lets three typos pass, then doubles up to a cap', () => {
		expect([0, 1, 2, 3, 4, 5].map(delayAfterFailures)).toEqual([0, 0, 0, 1000, 2000, 4000]);
		expect(delayAfterFailures(50)).toBe(15 * 60 * 1000);
		for (let n = 1; n < 60; n++)
			expect(delayAfterFailures(n)).toBeGreaterThanOrEqual(delayAfterFailures(n - 1));
	});
});
