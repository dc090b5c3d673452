import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { formatRuPhone, normalizeRuPhone } from './phone';

describe('normalizeRuPhone', () => {
	it.each([
		'911-111-1111',
		'9111111111',
		'8 911 111 11 11',
		'89111111111',
		'+7 (911) 111-11-11',
		'7 911 1111111',
		'+79111111111',
		'  +7\u00A0911\u00A0111-11-11 ',
		'8 (911) 111.11.11'
	])('normalizes %j to +79111111111', (input) => {
		expect(normalizeRuPhone(input)).toEqual({ ok: true, e164: '+79111111111' });
	});

	it.each([
		['495 123-45-67', '+74951234567'],
		['8 800 555-35-35', '+78005553535'],
		['3412 12-34-56', '+73412123456']
	])('accepts the landline %j as %s', (input, e164) => {
		expect(normalizeRuPhone(input)).toEqual({ ok: true, e164 });
	});

	it.each([
		['', 'empty'],
		['   ', 'empty'],
		['911-111-111', 'format'],
		['911-111-11111', 'format'],
		['+7 911 111 11 111', 'format'],
		['911-ABC-1111', 'format'],
		['+8 911 111 11 11', 'format'],
		['+9111111111', 'format'],
		['+1 202 555 0101', 'format'],
		['+380 44 123 4567', 'format'],
		['1111111111', 'format'],
		['5111111111', 'format'],
		['8 511 111 11 11', 'format'],
		['911+1111111', 'format'],
		['+7 911 111 11 11 доб. 2', 'format']
	])('refuses %j with %s', (input, error) => {
		expect(normalizeRuPhone(input)).toEqual({ ok: false, error });
	});

	it('normalizes every typing of a national number to the same E.164', () => {
		const national = fc
			.tuple(fc.constantFrom('3', '4', '8', '9'), fc.stringMatching(/^\d{9}$/))
			.map(([first, rest]) => first + rest);
		fc.assert(
			fc.property(national, (n) => {
				const e164 = `+7${n}`;
				const [a, b, c, d, e] = [
					n.slice(0, 3),
					n.slice(3, 6),
					n.slice(6),
					n.slice(6, 8),
					n.slice(8)
				];
				const forms = [
					n,
					`${a}-${b}-${c}`,
					`8${n}`,
					`8 ${a} ${b} ${d} ${e}`,
					`+7 (${a}) ${b}-${d}-${e}`,
					`7 ${a} ${b}${c}`,
					`+7${n}`,
					formatRuPhone(e164)
				];
				for (const form of forms) expect(normalizeRuPhone(form)).toEqual({ ok: true, e164 });
				const shown = formatRuPhone(e164);
				expect(shown).toBe(`${a}-${b}-${c}`);
				// format ∘ normalize is stable: showing and re-reading changes nothing.
				const again = normalizeRuPhone(shown);
				expect(again.ok && formatRuPhone(again.e164)).toBe(shown);
			})
		);
	});
});

describe('formatRuPhone', () => {
	it('shows a stored number in the seed style', () => {
		expect(formatRuPhone('+79111111111')).toBe('911-111-1111');
		expect(formatRuPhone('+74951234567')).toBe('495-123-4567');
	});

	it('leaves anything that is not +7 and ten digits unchanged', () => {
		expect(formatRuPhone('+12025550101')).toBe('+12025550101');
		expect(formatRuPhone('9111111111')).toBe('9111111111');
		expect(formatRuPhone('')).toBe('');
	});
});
