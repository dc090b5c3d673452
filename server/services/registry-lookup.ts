import type { Kysely } from 'kysely';
import { validateInn } from '../../src/lib/domain/inn';
import type { Database, NewCompany } from '../db/types';
import { DEMO_REGISTRY_COMPANIES, getRegistry, RegistryUnavailable } from '../registry';
import type { LookupInnResult } from '../registry';
import { takeRateSlot, type RateWindow } from './rate-limit';

export type { LookupInnResult };

/**
 * The state registry's details for a checksum-valid INN, for both registration forms (a
 * partner's, C2, and self-registration, C1). The registry's failure is a value: the form then
 * takes the details by hand.
 */
export async function lookUpInn(inn: string): Promise<LookupInnResult> {
	try {
		const company = await getRegistry().findById(inn);
		return company ? { status: 'found', company } : { status: 'not_found' };
	} catch (error) {
		if (error instanceof RegistryUnavailable) {
			console.warn(`[kopek] company registry unavailable: ${error.message}`);
			return { status: 'unavailable' };
		}
		throw error;
	}
}

/** Without a DaData key the forms can only fill in the bundled companies: these INNs say which. */
export function registrySamples(): string[] {
	return getRegistry().name === 'demo' ? DEMO_REGISTRY_COMPANIES.slice(0, 3).map((c) => c.inn) : [];
}

/** Self-registration's lookups an address may make in an hour (a DaData key has a quota). */
export const VISITOR_LOOKUP_WINDOWS: readonly RateWindow[] = [{ windowMs: 60 * 60_000, max: 60 }];

/**
 * The registry's details for an INN typed on the public /register form: the same answer a
 * partner gets, within VISITOR_LOOKUP_WINDOWS per address. Past them the answer is
 * `unavailable`, the same as a registry that cannot answer: the person types the name, and the
 * registration looks the INN up once more itself. An INN with a wrong checksum is not asked.
 */
export async function lookUpInnForVisitor(
	db: Kysely<Database>,
	address: string,
	typed: string,
	options: { now?: Date; windows?: readonly RateWindow[] } = {}
): Promise<LookupInnResult> {
	const inn = validateInn(typed);
	if (!inn.ok) return { status: 'not_found' };
	const slot = await takeRateSlot(
		db,
		'registry_lookup',
		address,
		options.windows ?? VISITOR_LOOKUP_WINDOWS,
		options.now
	);
	return slot.ok ? lookUpInn(inn.inn) : { status: 'unavailable' };
}

/**
 * The company a self-registration creates for a valid INN: the registry's name, KPP, OGRN,
 * director and address when it knows the INN, else the typed name alone; null when the
 * registry has no answer and no name was typed (the form then asks for it).
 */
export async function registrationDetails(
	inn: string,
	typedName: string
): Promise<Omit<NewCompany, 'email' | 'phone' | 'inviter_partner_id' | 'status'> | null> {
	const lookup = await lookUpInn(inn);
	if (lookup.status !== 'found') return typedName === '' ? null : { inn, name: typedName };
	const c = lookup.company;
	return {
		inn,
		name: c.name,
		kpp: c.kpp ?? null,
		ogrn: c.ogrn ?? null,
		director_last_name: c.directorLastName ?? null,
		director_first_name: c.directorFirstName ?? null,
		legal_address: c.legalAddress ?? null,
		postcode: c.postcode ?? null,
		region: c.region ?? null,
		city: c.city ?? null,
		settlement: c.settlement ?? null,
		street: c.street ?? null,
		house: c.house ?? null,
		building: c.building ?? null,
		office: c.office ?? null
	};
}
