import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { COMMON_PASSWORDS } from './common-passwords';
import { PASSWORD_MAX, PASSWORD_MIN, checkPassword } from './password';

describe('checkPassword', () => {
	it('has the NIST 800-63B bounds', () => {
		expect(PASSWORD_MIN).toBe(8);
		expect(PASSWORD_MAX).toBe(128);
	});

	it.each([
		'correct horse battery staple',
		'Kx9#mQ2v',
		'мойпароль!2024',
		'Ёжик в тумане',
		'p4$$ w0rd with spaces',
		'密码密码很长的密码'
	])('accepts %j', (pw) => {
		expect(checkPassword(pw)).toEqual({ ok: true });
	});

	it('refuses 7 characters and accepts 8', () => {
		expect(checkPassword('Kx9#mQ2')).toEqual({ ok: false, error: 'too_short' });
		expect(checkPassword('Kx9#mQ2v')).toEqual({ ok: true });
		expect(checkPassword('')).toEqual({ ok: false, error: 'too_short' });
	});

	it('accepts 128 characters and refuses 129', () => {
		const base = 'Kx9#mQ2v'.repeat(16);
		expect(checkPassword(base)).toEqual({ ok: true });
		expect(checkPassword(base + 'z')).toEqual({ ok: false, error: 'too_long' });
	});

	it('counts code points, not UTF-16 units', () => {
		// 7 emoji are 14 UTF-16 units but 7 characters.
		expect(checkPassword('😀🐱🚀🎉🍕🌍🔑')).toEqual({ ok: false, error: 'too_short' });
		expect(checkPassword('😀🐱🚀🎉🍕🌍🔑⭐')).toEqual({ ok: true });
		expect(checkPassword('😀🐱'.repeat(64))).toEqual({ ok: true }); // 128 characters, 256 units
		expect(checkPassword('😀🐱'.repeat(64) + 'a')).toEqual({ ok: false, error: 'too_long' });
	});

	it('counts NFC characters: a decomposed ё counts once', () => {
		const decomposedYo = 'е\u0308'; // е + combining diaeresis → ё after NFC
		expect(checkPassword('приве' + decomposedYo + 'т')).toEqual({ ok: false, error: 'too_short' });
		expect(checkPassword('привет' + decomposedYo + 'ж')).toEqual({ ok: true });
	});

	it.each([
		'password',
		'PASSWORD',
		'12345678',
		'qwertyui',
		'ЙЦУКЕНГШ',
		'йцукенгш',
		'11111111',
		'kopek123',
		'Kopek123',
		'P@ssw0rd'
	])('refuses the common password %j', (pw) => {
		expect(checkPassword(pw)).toEqual({ ok: false, error: 'common' });
	});

	it('refuses a single repeated character of any length', () => {
		fc.assert(
			fc.property(
				fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme-ascii' }),
				fc.integer({ min: 8, max: 128 }),
				(ch, n) => {
					expect(checkPassword(ch.repeat(n))).toEqual({ ok: false, error: 'common' });
				}
			)
		);
	});

	it('refuses every entry of the bundled list, in any case', () => {
		expect(COMMON_PASSWORDS.length).toBeGreaterThanOrEqual(200);
		for (const pw of COMMON_PASSWORDS) {
			expect(checkPassword(pw)).toEqual({ ok: false, error: 'common' });
			expect(checkPassword(pw.toUpperCase())).toEqual({ ok: false, error: 'common' });
		}
	});

	it('keeps the list clean: lower case, NFC, 8+ characters, no duplicates', () => {
		for (const pw of COMMON_PASSWORDS) {
			expect(pw).toBe(pw.normalize('NFC').toLowerCase());
			expect([...pw].length).toBeGreaterThanOrEqual(PASSWORD_MIN);
		}
		expect(new Set(COMMON_PASSWORDS).size).toBe(COMMON_PASSWORDS.length);
	});

	it('refuses the e-mail or its local part', () => {
		const email = 'ivan.petrov@example.ru';
		expect(checkPassword('ivan.petrov', { email })).toEqual({ ok: false, error: 'contains_email' });
		expect(checkPassword('Ivan.Petrov', { email })).toEqual({ ok: false, error: 'contains_email' });
		expect(checkPassword('ivan.petrov@example.ru', { email })).toEqual({
			ok: false,
			error: 'contains_email'
		});
		expect(checkPassword('IVAN.PETROV@EXAMPLE.RU!', { email: ' Ivan.Petrov@Example.ru ' })).toEqual(
			{
				ok: false,
				error: 'contains_email'
			}
		);
	});

	it('accepts passwords that merely share words with the e-mail', () => {
		const email = 'ivan.petrov@example.ru';
		expect(checkPassword('ivan.petrov-is-me', { email })).toEqual({ ok: true });
		expect(checkPassword('example.ru', { email })).toEqual({ ok: true });
		expect(checkPassword('ivan.petrov', { email: '' })).toEqual({ ok: true });
		expect(checkPassword('ivan.petrov')).toEqual({ ok: true });
	});

	it('counts surrounding spaces for length but not to dodge the list', () => {
		expect(checkPassword(' 1234567')).toEqual({ ok: true });
		expect(checkPassword('password ')).toEqual({ ok: false, error: 'common' });
		expect(checkPassword('  ivan.petrov ', { email: 'ivan.petrov@example.ru' })).toEqual({
			ok: false,
			error: 'contains_email'
		});
	});
});
