import superjson from 'superjson';

/**
 * The tRPC transformer: superjson's wire format (`{ json, meta? }`), which the browser client
 * decodes with plain superjson, with two shortcuts that change no byte a client sees decoded:
 *
 * - input is decoded in place: tRPC hands over a freshly parsed JSON body, so superjson's
 *   defensive deep copy of it is wasted work;
 * - an output marked with {@link plainJsonOutput} is sent as `{ json: value }` without
 *   superjson's walk over it. Superjson's own encoding of a value made only of strings,
 *   finite numbers, booleans, null, arrays and plain objects (no Date, Map, Set, bigint,
 *   undefined) is exactly that, and `superjson.deserialize({ json })` returns it as is.
 *
 * So the choice is per procedure and lives in the procedure: the sync answer (hot, many small
 * calls from every counter) is plain JSON by construction and marked; everything else keeps
 * the full superjson treatment. A marked value that breaks the rule would reach the client
 * with a Date as a string, so the sync's unit test checks its answer survives a round trip.
 */
const plain = new WeakSet<object>();

/** Marks a procedure's answer as plain JSON (see above); returns it unchanged. */
export function plainJsonOutput<T extends object>(value: T): T {
	plain.add(value);
	return value;
}

export const transformer = {
	input: {
		serialize: (value: unknown) => superjson.serialize(value),
		deserialize: (payload: unknown) =>
			payload === undefined
				? undefined
				: superjson.deserialize(payload as Parameters<typeof superjson.deserialize>[0], {
						inPlace: true
					})
	},
	output: {
		serialize: (value: unknown) =>
			typeof value === 'object' && value !== null && plain.has(value)
				? { json: value }
				: superjson.serialize(value),
		deserialize: (payload: unknown) =>
			superjson.deserialize(payload as Parameters<typeof superjson.deserialize>[0])
	}
};
