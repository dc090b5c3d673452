import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
	extractCustomerId,
	generateCustomerId,
	isLuhnValid,
	isValidCustomerId,
	luhnCheckDigit,
	validateCustomerId
} from './customer-id';

/** A valid ID: random body of `length - 1` digits not starting with 0, plus its check digit. */
const validId = fc
	.tuple(
		fc.integer({ min: 1, max: 9 }),
		fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 4, maxLength: 10 })
	)
	.map(([first, rest]) => {
		const body = `${first}${rest.join('')}`;
		return body + String(luhnCheckDigit(body));
	});

describe('luhnCheckDigit', () => {
	it.each([
		['12345', 5, '123455'],
		['76543', 8, '765438'],
		['24680', 1, '246801']
	])('body %s has check digit %i (ID %s)', (body, digit, id) => {
		expect(luhnCheckDigit(body)).toBe(digit);
		expect(isValidCustomerId(id)).toBe(true);
	});

	it('agrees with the textbook example 7992739871 → 3', () => {
		expect(luhnCheckDigit('7992739871')).toBe(3);
		expect(isLuhnValid('79927398713')).toBe(true);
		expect(isLuhnValid('79927398710')).toBe(false);
	});

	it('refuses a non-digit body', () => {
		expect(() => luhnCheckDigit('')).toThrow(RangeError);
		expect(() => luhnCheckDigit('12a45')).toThrow(RangeError);
	});

	it('makes exactly one of the ten possible last digits valid', () => {
		fc.assert(
			fc.property(fc.stringMatching(/^\d{1,15}$/), (body) => {
				const valid = [...'0123456789'].filter((d) => isLuhnValid(body + d));
				expect(valid).toEqual([String(luhnCheckDigit(body))]);
			})
		);
	});
});

describe('validateCustomerId', () => {
	it.each([
		['123455', '123455'],
		['  123455 ', '123455'],
		['123 455', '123455'],
		['7992739871 3', '79927398713']
	])('accepts %j as %s', (input, id) => {
		expect(validateCustomerId(input)).toEqual({ ok: true, id });
	});

	it.each([
		['', 'empty'],
		['   ', 'empty'],
		['12345a', 'format'],
		['-123455', 'format'],
		['012345', 'format'],
		['１２３４５５', 'format'], // full-width digits are not ASCII digits
		['12344', 'length'],
		['1234567890128', 'length'],
		['123456', 'checksum'], // the seed's sample "123456" is a format example, not a valid ID
		['123454', 'checksum']
	])('refuses %j with %s', (input, error) => {
		expect(validateCustomerId(input)).toEqual({ ok: false, error });
	});

	it('accepts 12 digits and isValidCustomerId wants the stored form', () => {
		const body = '12345678901';
		const id = body + String(luhnCheckDigit(body));
		expect(validateCustomerId(id)).toEqual({ ok: true, id });
		expect(isValidCustomerId(id)).toBe(true);
		expect(isValidCustomerId(' 123455')).toBe(false);
	});

	it('catches every single-digit substitution', () => {
		fc.assert(
			fc.property(validId, fc.nat(), fc.integer({ min: 1, max: 9 }), (id, pos, shift) => {
				const i = pos % id.length;
				const changed = (Number(id[i]) + shift) % 10;
				const typo = id.slice(0, i) + String(changed) + id.slice(i + 1);
				expect(isLuhnValid(typo)).toBe(false);
				expect(isValidCustomerId(typo)).toBe(false);
			})
		);
	});

	it('catches every adjacent transposition except 09 ↔ 90', () => {
		fc.assert(
			fc.property(validId, fc.nat(), (id, pos) => {
				const i = pos % (id.length - 1);
				const a = id[i] ?? '';
				const b = id[i + 1] ?? '';
				fc.pre(a !== b);
				const swapped = id.slice(0, i) + b + a + id.slice(i + 2);
				const isZeroNine = (a === '0' && b === '9') || (a === '9' && b === '0');
				expect(isLuhnValid(swapped)).toBe(isZeroNine);
			}),
			{
				examples: [
					['909093', 0],
					['190900', 1],
					['120907', 2]
				]
			}
		);
	});

	it('misses 09 ↔ 90 — the known Luhn blind spot', () => {
		expect(isValidCustomerId('190900')).toBe(true);
		expect(isValidCustomerId('109900')).toBe(true);
	});
});

describe('generateCustomerId', () => {
	it('generates valid 6-digit IDs by default', () => {
		for (let i = 0; i < 200; i++) {
			const id = generateCustomerId();
			expect(id).toMatch(/^[1-9]\d{5}$/);
			expect(isValidCustomerId(id)).toBe(true);
		}
	});

	it('uses the injected randomness', () => {
		const digits = [0, 2, 3, 4, 5]; // first draw is 0..8 → first digit 1
		let i = 0;
		const random = () => digits[i++] ?? 0;
		expect(generateCustomerId(6, random)).toBe('123455');
	});

	it('generates valid IDs of every allowed length, never starting with 0', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 6, max: 12 }),
				fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
				(length, draws) => {
					let i = 0;
					const random = (max: number) => (draws[i++] ?? 0) % max;
					const id = generateCustomerId(length, random);
					expect(id).toHaveLength(length);
					expect(id[0]).not.toBe('0');
					expect(isValidCustomerId(id)).toBe(true);
				}
			)
		);
	});

	it('refuses lengths outside 6..12', () => {
		expect(() => generateCustomerId(5)).toThrow(RangeError);
		expect(() => generateCustomerId(13)).toThrow(RangeError);
	});
});

describe('extractCustomerId', () => {
	it.each([
		['123455', '123455'],
		[' 123455\n', '123455'],
		['https://kopek.example/me/card/123455', '123455'],
		['https://kopek.example/me/card/123455/', '123455'],
		['https://kopek.example/me/card?id=765438', '765438'],
		['kopek:246801', '246801']
	])('finds the ID in %j', (text, id) => {
		expect(extractCustomerId(text)).toBe(id);
	});

	it.each([
		'',
		'https://kopek.example/me/card/123456',
		'https://kopek.example/me/card/123455/edit',
		'https://kopek.example/me/card/12345',
		'hello',
		'https://kopek.example/me/card/123455?x=1'
	])('returns null for %j', (text) => {
		expect(extractCustomerId(text)).toBeNull();
	});

	it('finds every valid ID at the end of a card URL', () => {
		fc.assert(
			fc.property(validId, (id) => {
				expect(extractCustomerId(`https://host/me/card/${id}`)).toBe(id);
				expect(extractCustomerId(id)).toBe(id);
			})
		);
	});
});
