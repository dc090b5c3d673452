/** Russian postal codes (Индекс): exactly six digits. */

/** True for a six-digit Russian postcode exactly as stored, e.g. `"101000"`. */
export function isValidPostcode(s: string): boolean {
	return /^\d{6}$/.test(s);
}
