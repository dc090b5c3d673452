import type { Kysely } from 'kysely';
import { normalizeRuPhone } from '../../src/lib/domain/phone';
import type { Database } from '../db/types';
import { getCustomerByPhone } from '../repositories/customers';
import { lookUpCustomerForCompany, type CompanyLookupOutcome } from './customer-lookup';
import type { RateWindow } from './rate-limit';

/**
 * Step 1 of a payment by the customer's phone (+7…, 8…, with spaces or dashes): the customer
 * behind the number, under exactly the rules of a lookup by ID. The phone only turns into the
 * customer's ID here; the answer — the company's status, its lookup slot, the name — comes
 * from lookUpCustomerForCompany, so every phone lookup takes one slot like an ID lookup
 * (an unknown or malformed number too: probing numbers is held to the same pace as IDs).
 */
export async function lookUpCustomerByPhoneForCompany(
	db: Kysely<Database>,
	companyId: number,
	phone: string,
	options: { now?: Date; windows?: readonly RateWindow[] } = {}
): Promise<CompanyLookupOutcome> {
	const normalized = normalizeRuPhone(phone);
	const customer = normalized.ok ? await getCustomerByPhone(db, normalized.e164) : undefined;
	// An empty ID is never a customer: the lookup still checks the company and takes the slot.
	return lookUpCustomerForCompany(db, companyId, customer?.id ?? '', options);
}
