import { innCheckDigits } from '../../../src/lib/domain/inn';

let next = 0;

/**
 * A checksum-valid 10-digit INN that neither an earlier call of this run nor the bundled demo
 * registry has (a registration refuses an INN twice); the form then takes a typed name.
 */
export function uniqueInn(): string {
	const body = `9${String(Date.now() % 1e6).padStart(6, '0')}${String(next++ % 100).padStart(2, '0')}`;
	return body + innCheckDigits(body);
}
