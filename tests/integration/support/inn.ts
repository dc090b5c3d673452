import { innCheckDigits } from '../../../src/lib/domain/inn';

let next = 0;
const run = String(Math.floor(Math.random() * 1000)).padStart(3, '0');

/**
 * A checksum-valid 10-digit INN no other call of this run returns (registration refuses an INN
 * twice); none of the bundled demo registry's, so the typed company name is the one stored.
 */
export function uniqueInn(): string {
	const body = `9${run}${String(next++).padStart(5, '0')}`;
	return body + innCheckDigits(body);
}
