import { describe, expect, it } from 'vitest';
import {
	formatPairingCode,
	generatePairingCode,
	normalizePairingCode,
	PAIRING_ALPHABET
} from './pairing-code';

describe('pairing codes', () => {
	it('are 8 characters of an alphabet without look-alikes', () => {
		for (const ch of '0O1IL2Z5S8B') expect(PAIRING_ALPHABET).not.toContain(ch);
		for (let i = 0; i < 50; i++)
			expect(generatePairingCode()).toMatch(/^[34679ACDEFGHJKMNPQRTUVWXY]{8}$/);
	});

	it('read back however they were typed', () => {
		expect(normalizePairingCode(' acde-fghj ')).toBe('ACDEFGHJ');
		expect(formatPairingCode('ACDEFGHJ')).toBe('ACDE-FGHJ');
		expect(normalizePairingCode('ACDE-FGH')).toBeNull();
		expect(normalizePairingCode('ACDE-FGH0')).toBeNull();
	});
});
