import { describe, expect, it } from 'vitest';
import { createPinVerifier, isValidPin, PIN_ITERATIONS, verifyPin } from './pin';

describe('PIN verifiers', () => {
	it('accepts 4 to 6 digits only', () => {
		for (const pin of ['1111', '12345', '000000']) expect(isValidPin(pin)).toBe(true);
		for (const pin of ['111', '1234567', '12a4', ' 1234', '١٢٣٤'])
			expect(isValidPin(pin)).toBe(false);
	});

	it('verifies the PIN it was made from and nothing else', async () => {
		const stored = await createPinVerifier('1111');
		expect(stored.iterations).toBeGreaterThanOrEqual(100_000);
		expect(await verifyPin('1111', stored)).toBe(true);
		expect(await verifyPin('1112', stored)).toBe(false);
		expect(await verifyPin('11111', stored)).toBe(false);
	});

	it('salts per cashier: the same PIN gives different verifiers', async () => {
		const a = await createPinVerifier('2222');
		const b = await createPinVerifier('2222');
		expect(a.salt).not.toBe(b.salt);
		expect(a.verifier).not.toBe(b.verifier);
		expect(await verifyPin('2222', b)).toBe(true);
	});

	it('is PBKDF2-SHA-256 of the PIN with the stored salt and iteration count', async () => {
		// A fixed salt makes the verifier reproducible; the derivation must not depend on anything else.
		const salt = new Uint8Array(16).fill(7);
		const one = await createPinVerifier('4321', { randomBytes: () => salt });
		const two = await createPinVerifier('4321', { randomBytes: () => salt });
		expect(one).toEqual(two);
		const key = await crypto.subtle.importKey(
			'raw',
			new TextEncoder().encode('4321'),
			'PBKDF2',
			false,
			['deriveBits']
		);
		const bits = new Uint8Array(
			await crypto.subtle.deriveBits(
				{ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: PIN_ITERATIONS },
				key,
				256
			)
		);
		expect(one.verifier).toBe(btoa(String.fromCharCode(...bits)));
	});

	it('refuses weak parameters', async () => {
		await expect(createPinVerifier('1234', { iterations: 1000 })).rejects.toThrow();
		await expect(createPinVerifier('12')).rejects.toThrow();
		const stored = await createPinVerifier('1234');
		expect(await verifyPin('1234', { ...stored, iterations: 1000 })).toBe(false);
	});
});
