/**
 * Randomness for identifiers, injectable so tests can be deterministic.
 *
 * The defaults use the global Web Crypto `crypto.getRandomValues`, present in browsers and
 * in Node 20+, so this module stays isomorphic without importing `node:crypto`.
 */

/** Returns `length` random bytes. */
export type RandomBytes = (length: number) => Uint8Array;

/** Returns a uniformly distributed integer in `[0, maxExclusive)`. */
export type RandomInt = (maxExclusive: number) => number;

/** Cryptographically strong random bytes from the global Web Crypto API. */
export const cryptoRandomBytes: RandomBytes = (length) => {
	const bytes = new Uint8Array(length);
	crypto.getRandomValues(bytes);
	return bytes;
};

const UINT32_RANGE = 0x1_0000_0000;

/**
 * Cryptographically strong uniform integer in `[0, maxExclusive)`, for `maxExclusive` in
 * `1..2^32`. Rejection sampling keeps it free of modulo bias.
 */
export const cryptoRandomInt: RandomInt = (maxExclusive) => {
	if (!Number.isInteger(maxExclusive) || maxExclusive < 1 || maxExclusive > UINT32_RANGE) {
		throw new RangeError(`maxExclusive must be an integer in 1..2^32, got ${maxExclusive}`);
	}
	// Largest multiple of maxExclusive that fits; values at or above it would bias the result.
	const limit = UINT32_RANGE - (UINT32_RANGE % maxExclusive);
	const word = new Uint32Array(1);
	for (;;) {
		crypto.getRandomValues(word);
		const value = word[0] ?? 0;
		if (value < limit) return value % maxExclusive;
	}
};
