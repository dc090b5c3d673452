import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { isLoopbackOrigin, publicOrigin } from './public-origin';

const shop = () => ({
	lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true } as NetworkInterfaceInfo],
	eth0: [
		{ address: 'fe80::1', family: 'IPv6', internal: false } as NetworkInterfaceInfo,
		{ address: '192.168.1.20', family: 'IPv4', internal: false } as NetworkInterfaceInfo
	]
});

/** Issue 19 item 11: «Кассы» told the owner to open http://localhost:3000/pair on the tablet. */
describe('the pairing address', () => {
	it('is ORIGIN when the server has one', () => {
		expect(
			publicOrigin('http://localhost:3000', { ORIGIN: 'https://kopek.example/' }, shop)
		).toEqual({ origin: 'https://kopek.example', loopback: false });
	});

	it('is the server’s shop-network address, never localhost, without ORIGIN', () => {
		expect(publicOrigin('http://localhost:3000', {}, shop)).toEqual({
			origin: 'http://192.168.1.20:3000',
			loopback: false
		});
		expect(publicOrigin('http://127.0.0.1:3000', {}, shop).origin).toBe('http://192.168.1.20:3000');
	});

	it('is the address the owner used when a tablet can reach it too', () => {
		expect(publicOrigin('http://192.168.1.5:3000', {}, shop).origin).toBe(
			'http://192.168.1.5:3000'
		);
	});

	it('says so when only this computer can open it', () => {
		expect(publicOrigin('http://localhost:3000', {}, () => ({}))).toEqual({
			origin: 'http://localhost:3000',
			loopback: true
		});
		expect(isLoopbackOrigin('http://[::1]:3000')).toBe(true);
		expect(isLoopbackOrigin('https://kopek.example')).toBe(false);
	});
});
