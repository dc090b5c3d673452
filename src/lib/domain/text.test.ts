import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cleanUserText, TEXT_ERROR, userText } from './text';

const line = { max: 100 };
const multi = { max: 100, multiline: true };

describe('cleanUserText', () => {
	it('normalises to NFC and trims', () => {
		// "й" as и + combining breve becomes the one precomposed character.
		expect(cleanUserText('  \u0438\u0306ogurt \n', line)).toEqual({
			ok: true,
			text: '\u0439ogurt'
		});
		expect(cleanUserText('Касса 1', line)).toEqual({ ok: true, text: 'Касса 1' });
	});

	it.each([
		['NUL', 'Иван\u0000ов'],
		['BEL', 'a\u0007b'],
		['ESC', 'a\u001b[31mb'],
		['DEL', 'a\u007fb'],
		['C1 NEL', 'a\u0085b'],
		['C1 CSI', 'a\u009bb'],
		['tab in a single line', 'a\tb'],
		['newline in a single line', 'a\nb']
	])('refuses %s as a control character', (_, text) => {
		expect(cleanUserText(text, line)).toEqual({ ok: false, error: 'control' });
	});

	it.each([
		'\u202A',
		'\u202B',
		'\u202C',
		'\u202D',
		'\u202E',
		'\u2066',
		'\u2067',
		'\u2068',
		'\u2069'
	])('refuses the bidi control U+%s', (c) => {
		expect(cleanUserText(`abc${c}txt.exe`, line)).toEqual({ ok: false, error: 'bidi' });
	});

	it('refuses lone surrogates but keeps paired ones', () => {
		expect(cleanUserText('a\uD800b', line)).toEqual({ ok: false, error: 'surrogate' });
		expect(cleanUserText('a\uDC00', line)).toEqual({ ok: false, error: 'surrogate' });
		expect(cleanUserText('\uDFFF\uD800', line)).toEqual({ ok: false, error: 'surrogate' });
		expect(cleanUserText('кофе ☕ 😀', line)).toEqual({ ok: true, text: 'кофе ☕ 😀' });
	});

	it('allows tab and line breaks in multi-line text, CR LF becoming LF', () => {
		expect(cleanUserText('первое\r\nвторое\rтретье\n\tчетвёртое', multi)).toEqual({
			ok: true,
			text: 'первое\nвторое\nтретье\n\tчетвёртое'
		});
		expect(cleanUserText('a\u0000b', multi)).toEqual({ ok: false, error: 'control' });
		expect(cleanUserText('a\u000bb', multi)).toEqual({ ok: false, error: 'control' });
		expect(cleanUserText('a\u202eb', multi)).toEqual({ ok: false, error: 'bidi' });
	});

	it('counts code points against the limits', () => {
		expect(cleanUserText('😀'.repeat(5), { max: 5 })).toEqual({ ok: true, text: '😀'.repeat(5) });
		expect(cleanUserText('😀'.repeat(6), { max: 5 })).toEqual({ ok: false, error: 'too_long' });
		expect(cleanUserText('   ', { max: 5, min: 1 })).toEqual({ ok: false, error: 'required' });
		expect(cleanUserText('ab', { max: 5, min: 3 })).toEqual({ ok: false, error: 'too_short' });
		expect(cleanUserText('', { max: 5 })).toEqual({ ok: true, text: '' });
		expect(cleanUserText('x'.repeat(1_000_000), { max: 5 })).toEqual({
			ok: false,
			error: 'too_long'
		});
	});

	it('property: an accepted text is clean, normalised, trimmed and within its limit', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.boolean(), (raw, multiline) => {
				const result = cleanUserText(raw, { max: 40, multiline });
				if (!result.ok) return;
				const text = result.text;
				expect(text).toBe(text.normalize('NFC'));
				expect(text).toBe(text.trim());
				expect([...text].length).toBeLessThanOrEqual(40);
				expect(text.isWellFormed()).toBe(true);
				const forbidden = [...text].some((c) => {
					const code = c.codePointAt(0)!;
					const control =
						code < 0x20 ? code !== 0x09 && code !== 0x0a : code >= 0x7f && code <= 0x9f;
					return (
						control || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)
					);
				});
				expect(forbidden).toBe(false);
				if (!multiline) expect(/[\t\n\r]/.test(text)).toBe(false);
			})
		);
	}, 60_000);

	it('property: any forbidden character anywhere is refused', () => {
		const forbidden = fc.constantFrom(
			'\u0000',
			'\u0007',
			'\u001b',
			'\u0085',
			'\u202e',
			'\u2066',
			'\uD800',
			'\uDC00'
		);
		fc.assert(
			fc.property(
				fc.string({ maxLength: 20 }),
				forbidden,
				fc.string({ maxLength: 20 }),
				(a, bad, b) => {
					// A lone surrogate next to an arbitrary string may pair up; keep the halves apart.
					const text = `${a}x${bad}x${b}`;
					expect(cleanUserText(text, { max: 100 }).ok).toBe(false);
					expect(cleanUserText(text, { max: 100, multiline: true }).ok).toBe(false);
				}
			)
		);
	});

	it('property: clean text is accepted unchanged (idempotent)', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (raw) => {
				const first = cleanUserText(raw, { max: 1000, multiline: true });
				if (!first.ok) return;
				expect(cleanUserText(first.text, { max: 1000, multiline: true })).toEqual(first);
			})
		);
	});
});

describe('userText', () => {
	it('parses to the cleaned text', () => {
		expect(userText({ max: 10, min: 1 }).parse('  Касса 1 ')).toBe('Касса 1');
	});

	it('refuses with a field error, never a throw of another kind', () => {
		const schema = userText({ max: 10, min: 1 });
		const result = schema.safeParse('a\u0000');
		expect(result.success).toBe(false);
		expect(result.error?.issues[0]?.message).toBe(TEXT_ERROR.control);
		expect(schema.safeParse('').error?.issues[0]?.message).toBe(TEXT_ERROR.required);
		expect(schema.safeParse(42).success).toBe(false);
	});
});
