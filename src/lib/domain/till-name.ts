/**
 * Names of a company's tills («Кассы»): the name a new one is offered is the next free
 * «Касса N», so two tills never get the same suggested name (issue 19: «Касса 1» twice).
 */

/** The word every suggested till name starts with (the seed's «Касса»). */
export const TILL_NAME_BASE = 'Касса';

const key = (name: string) => name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();

/** The first «Касса N» (N = 1, 2, …) that none of `taken` is, ignoring case and spacing. */
export function nextTillName(taken: readonly string[]): string {
	const used = new Set(taken.map(key));
	for (let n = 1; ; n++) {
		const name = `${TILL_NAME_BASE} ${n}`;
		if (!used.has(key(name))) return name;
	}
}
