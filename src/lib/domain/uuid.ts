/**
 * UUID version 7 (RFC 9562): a 48-bit Unix millisecond timestamp, then randomness. Each
 * counter operation gets one on the device when it is created; it is the operation's
 * idempotency key, and sorting by it sorts by creation time.
 */
import { cryptoRandomBytes, type RandomBytes } from './random';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUIDV7_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

const MAX_TIMESTAMP = 2 ** 48 - 1;
const COUNTER_MAX = 0xfff;
/** How far behind the last issued timestamp the clock may be and still count as "now". */
const CLOCK_TOLERANCE_MS = 10;

/** Creates a UUID v7 for the given millisecond time. */
export type Uuidv7Generator = (now?: number, random?: RandomBytes) => string;

/**
 * A UUID v7 generator with its own monotonic state. Within one millisecond the 12-bit
 * `rand_a` field is a counter (RFC 9562 §6.2, method 1) started at a random value below
 * 2048, so IDs from one generator sort in creation order; when it runs out, the
 * timestamp is advanced by 1 ms. A clock that steps back by at most 10 ms keeps the last
 * timestamp; a bigger step back starts afresh from the clock.
 */
export function createUuidv7Generator(): Uuidv7Generator {
	let lastMs = -Infinity;
	let lastCounter = 0;

	return (now = Date.now(), random = cryptoRandomBytes) => {
		if (!Number.isInteger(now) || now < 0 || now > MAX_TIMESTAMP) {
			throw new RangeError(`now must be an integer millisecond time in 0..2^48-1, got ${now}`);
		}
		const bytes = random(10);
		if (bytes.length < 10) throw new RangeError('random must return 10 bytes');
		const freshCounter = (((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0)) & 0x7ff;

		let ms = now;
		let counter = freshCounter;
		if (now <= lastMs && lastMs - now <= CLOCK_TOLERANCE_MS) {
			ms = lastMs;
			counter = lastCounter + 1;
			if (counter > COUNTER_MAX) {
				ms = Math.min(lastMs + 1, MAX_TIMESTAMP);
				counter = freshCounter;
			}
		}
		lastMs = ms;
		lastCounter = counter;

		const out = new Uint8Array(16);
		let t = ms;
		for (let i = 5; i >= 0; i--) {
			out[i] = t % 256;
			t = Math.floor(t / 256);
		}
		out[6] = 0x70 | (counter >> 8);
		out[7] = counter & 0xff;
		out.set(bytes.subarray(2, 10), 8);
		out[8] = 0x80 | ((out[8] ?? 0) & 0x3f);

		const hex = Array.from(out, (b) => b.toString(16).padStart(2, '0')).join('');
		return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
	};
}

/**
 * A new UUID v7 (lower-case, canonical form) for time `now` in Unix milliseconds. IDs made
 * in this JavaScript realm sort in creation order, also within one millisecond; the
 * embedded timestamp may then run a few milliseconds ahead of `now`.
 */
export const uuidv7: Uuidv7Generator = createUuidv7Generator();

/** True for any UUID in canonical 8-4-4-4-12 hex form, either case, any version. */
export function isUuid(s: string): boolean {
	return UUID_PATTERN.test(s);
}

/** True for a canonical UUID with version 7 and the RFC 9562 variant. */
export function isUuidv7(s: string): boolean {
	return UUIDV7_PATTERN.test(s);
}

/**
 * The Unix millisecond timestamp embedded in a UUID v7.
 *
 * @throws RangeError if `id` is not a UUID v7.
 */
export function uuidv7Timestamp(id: string): number {
	if (!isUuidv7(id)) throw new RangeError(`not a UUID v7: ${id}`);
	return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
