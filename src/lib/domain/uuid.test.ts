import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { createUuidv7Generator, isUuid, isUuidv7, uuidv7, uuidv7Timestamp } from './uuid';

const fixedBytes = (value: number) => (length: number) => new Uint8Array(length).fill(value);

describe('uuidv7', () => {
	it('has the canonical form with version 7 and variant 10', () => {
		for (let i = 0; i < 100; i++) {
			const id = uuidv7();
			expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
			expect(isUuid(id)).toBe(true);
			expect(isUuidv7(id)).toBe(true);
		}
	});

	it('lays out the timestamp, version, counter and variant bits exactly', () => {
		const generate = createUuidv7Generator();
		// All-ones randomness: counter 0x7ff (MSB cleared), rand_b all ones under the variant.
		expect(generate(0x0123_4567_89ab, fixedBytes(0xff))).toBe(
			'01234567-89ab-77ff-bfff-ffffffffffff'
		);
		const other = createUuidv7Generator();
		expect(other(0, fixedBytes(0))).toBe('00000000-0000-7000-8000-000000000000');
	});

	it('embeds the timestamp it was given', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), (now) => {
				const id = createUuidv7Generator()(now);
				expect(uuidv7Timestamp(id)).toBe(now);
				expect(isUuidv7(id)).toBe(true);
			})
		);
	});

	it('sorts by time across milliseconds', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 2 ** 48 - 2 }),
				fc.integer({ min: 0, max: 2 ** 48 - 1 }),
				(a, b) => {
					fc.pre(a !== b);
					const [earlier, later] = a < b ? [a, b] : [b, a];
					const first = createUuidv7Generator()(earlier);
					const second = createUuidv7Generator()(later);
					expect(first < second).toBe(true);
				}
			)
		);
	});

	it('is monotonic within one millisecond, even past the counter', () => {
		const generate = createUuidv7Generator();
		const now = Date.UTC(2025, 0, 1);
		const ids = Array.from({ length: 5000 }, () => generate(now));
		for (let i = 1; i < ids.length; i++) expect((ids[i - 1] ?? '') < (ids[i] ?? '')).toBe(true);
		expect(new Set(ids).size).toBe(ids.length);
		expect(uuidv7Timestamp(ids[0] ?? '')).toBe(now);
		// More than 2048 IDs in one millisecond advance the timestamp rather than wrap.
		expect(uuidv7Timestamp(ids.at(-1) ?? '')).toBeGreaterThan(now);
		expect(uuidv7Timestamp(ids.at(-1) ?? '')).toBeLessThanOrEqual(now + 5);
	});

	it('keeps order over a small clock step back, follows a large one', () => {
		const generate = createUuidv7Generator();
		const t = 1_700_000_000_000;
		const first = generate(t);
		const afterSmallStep = generate(t - 3);
		expect(afterSmallStep > first).toBe(true);
		expect(uuidv7Timestamp(afterSmallStep)).toBe(t);
		expect(uuidv7Timestamp(generate(t - 60_000))).toBe(t - 60_000);
	});

	it('refuses times outside the 48-bit range', () => {
		const generate = createUuidv7Generator();
		expect(() => generate(-1)).toThrow(RangeError);
		expect(() => generate(2 ** 48)).toThrow(RangeError);
		expect(() => generate(1.5)).toThrow(RangeError);
	});
});

describe('isUuid / uuidv7Timestamp', () => {
	it.each([
		['00000000-0000-0000-0000-000000000000', true, false],
		['550e8400-e29b-41d4-a716-446655440000', true, false],
		['01890A5D-AC96-774B-BCCE-B302099A8057', true, true],
		['01890a5d-ac96-774b-bcce-b302099a8057', true, true],
		['01890a5d-ac96-774b-7cce-b302099a8057', true, false],
		['01890a5dac96774bbcceb302099a8057', false, false],
		['{01890a5d-ac96-774b-bcce-b302099a8057}', false, false],
		['01890a5d-ac96-774b-bcce-b302099a805g', false, false],
		['', false, false]
	])('%j: isUuid %s, isUuidv7 %s', (s, uuid, v7) => {
		expect(isUuid(s)).toBe(uuid);
		expect(isUuidv7(s)).toBe(v7);
	});

	it('reads the RFC 9562 example timestamp', () => {
		// RFC 9562 appendix A.6: 017F22E2-79B0-7CC3-98C4-DC0C0C07398F, Tue Feb 22 2022 19:22:22 UTC.
		expect(uuidv7Timestamp('017F22E2-79B0-7CC3-98C4-DC0C0C07398F')).toBe(
			Date.UTC(2022, 1, 22, 19, 22, 22)
		);
	});

	it('refuses to read a timestamp out of anything but a UUID v7', () => {
		expect(() => uuidv7Timestamp('550e8400-e29b-41d4-a716-446655440000')).toThrow(RangeError);
		expect(() => uuidv7Timestamp('nope')).toThrow(RangeError);
	});
});
