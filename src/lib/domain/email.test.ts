import { describe, it, expect } from 'vitest';
import { EMAIL_MAX, normalizeEmail } from './email';

describe('normalizeEmail', () => {
	it.each([
		['ivan@mail.ru', 'ivan@mail.ru'],
		['  Ivan.Petrov@Mail.RU ', 'ivan.petrov@mail.ru'],
		['a+tag@sub.example.com', 'a+tag@sub.example.com'],
		['директор@почта.рф', 'директор@почта.рф'],
		['ДИРЕКТОР@ПОЧТА.РФ', 'директор@почта.рф']
	])('accepts %j as %s', (input, email) => {
		expect(normalizeEmail(input)).toEqual({ ok: true, email });
	});

	it.each([
		['', 'empty'],
		['   ', 'empty'],
		['ivan', 'format'],
		['ivan@', 'format'],
		['@mail.ru', 'format'],
		['ivan@mail', 'format'],
		['ivan@@mail.ru', 'format'],
		['ivan@mail@mail.ru', 'format'],
		['iv an@mail.ru', 'format'],
		['ivan@mail..ru', 'format'],
		['ivan@.mail.ru', 'format'],
		['ivan@mail.ru.', 'format'],
		['ivan\u0000@mail.ru', 'format'],
		['ivan@mail\tx.ru', 'format']
	])('refuses %j with %s', (input, error) => {
		expect(normalizeEmail(input)).toEqual({ ok: false, error });
	});

	it('accepts 254 characters and refuses 255', () => {
		const domain = `${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(60)}.${'g'.repeat(60)}.ru`;
		const fits = `${'l'.repeat(EMAIL_MAX - domain.length - 1)}@${domain}`;
		expect(fits).toHaveLength(254);
		expect(normalizeEmail(fits).ok).toBe(true);
		expect(normalizeEmail(`l${fits}`)).toEqual({ ok: false, error: 'format' });
	});

	it('refuses a local part over 64 characters', () => {
		expect(normalizeEmail(`${'l'.repeat(64)}@mail.ru`).ok).toBe(true);
		expect(normalizeEmail(`${'l'.repeat(65)}@mail.ru`)).toEqual({ ok: false, error: 'format' });
	});
});
