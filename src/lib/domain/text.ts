/**
 * User text (names, cities, addresses, reasons, file names, terminal names): one rule for
 * every field, on both sides. The text is NFC-normalised and trimmed; characters that can
 * break storage, logs or how the text is displayed are refused with a field error, never
 * stored and never turned into a server error:
 * - NUL and the other C0 controls (U+0000–U+001F, DEL U+007F) and the C1 controls
 *   (U+0080–U+009F) — tab and line breaks only in multi-line text;
 * - lone surrogates (Postgres cannot store them; they are not text);
 * - the bidi embeddings and overrides U+202A–U+202E and the isolates U+2066–U+2069, which
 *   let a name show other characters than it holds ("Trojan Source").
 */
import { z } from 'zod';

/** Why a text was refused: the field error's message (a stable code, not prose). */
export type TextProblem = 'required' | 'too_short' | 'too_long' | 'control' | 'bidi' | 'surrogate';

export const TEXT_ERROR = {
	required: 'text.required',
	too_short: 'text.too_short',
	too_long: 'text.too_long',
	control: 'text.control',
	bidi: 'text.bidi',
	surrogate: 'text.surrogate'
} as const satisfies Record<TextProblem, string>;

export interface UserTextOptions {
	/** Longest accepted text, in code points, after normalisation and trimming. */
	max: number;
	/** Shortest accepted text (0 = may be empty; 1 = required). */
	min?: number;
	/** Tabs and line breaks allowed (CR LF and lone CR become LF). */
	multiline?: boolean;
}

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL_SINGLE = /[\u0000-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL_MULTI = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Counted as a person counts them: an emoji or "ё" is one. */
function codePoints(text: string): number {
	let n = 0;
	for (const _ of text) n++;
	return n;
}

export type CleanTextResult = { ok: true; text: string } | { ok: false; error: TextProblem };

/** The rule itself, for code that is not a zod schema (the browser's live checks). */
export function cleanUserText(input: string, options: UserTextOptions): CleanTextResult {
	const { max, min = 0, multiline = false } = options;
	// A surrogate half cannot be normalised or measured meaningfully: refuse it first.
	if (LONE_SURROGATE.test(input)) return { ok: false, error: 'surrogate' };
	let text = input;
	if (multiline) text = text.replace(/\r\n?/g, '\n');
	// Bound the work before normalising: NFC never shrinks text by more than a few times.
	if (text.length > max * 4 + 64) return { ok: false, error: 'too_long' };
	text = text.normalize('NFC').trim();
	if ((multiline ? CONTROL_MULTI : CONTROL_SINGLE).test(text)) {
		return { ok: false, error: 'control' };
	}
	if (BIDI.test(text)) return { ok: false, error: 'bidi' };
	const length = codePoints(text);
	if (length > max) return { ok: false, error: 'too_long' };
	if (length < min) return { ok: false, error: length === 0 ? 'required' : 'too_short' };
	return { ok: true, text };
}

/**
 * A zod schema for one user text field: the cleaned text, or a field error whose message is
 * one of `TEXT_ERROR` (tRPC answers it as BAD_REQUEST with `fieldErrors`).
 */
export function userText(options: UserTextOptions) {
	return z.string().transform((input, ctx) => {
		const result = cleanUserText(input, options);
		if (result.ok) return result.text;
		ctx.addIssue({ code: 'custom', message: TEXT_ERROR[result.error] });
		return z.NEVER;
	});
}
