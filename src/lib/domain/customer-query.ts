/**
 * What a cashier typed at step 1 of a payment: a customer ID or the customer's phone.
 */
import { validateCustomerId, type CustomerIdError } from './customer-id';
import { normalizeRuPhone } from './phone';

export type CustomerQuery =
	| { ok: true; kind: 'id'; id: string }
	| { ok: true; kind: 'phone'; phone: string }
	| { ok: false; error: CustomerIdError };

/**
 * Reads step 1's field. Text that is a Russian phone number (`+7 911 111-11-11`,
 * `8 911 111 11 11`, `911-111-1111`: ten digits or more, the phone rules of phone.ts) is a
 * phone, else it is a customer ID with its own errors. Issued IDs have 6 digits; an ID of
 * 10 or 11 digits that also reads as a phone would be taken as the phone, which is why IDs
 * are to grow to 7 digits, then 8, and skip those lengths if they ever must.
 */
export function readCustomerQuery(input: string): CustomerQuery {
	const phone = normalizeRuPhone(input);
	if (phone.ok) return { ok: true, kind: 'phone', phone: phone.e164 };
	const id = validateCustomerId(input);
	return id.ok ? { ok: true, kind: 'id', id: id.id } : id;
}
