/**
 * The state company registry (ЕГРЮЛ / ЕГРИП) as Kopek needs it: what a partner's
 * registration form fills in after a valid INN.
 */
export interface RegistryCompany {
	inn: string;
	kpp?: string;
	ogrn?: string;
	/** Short name with the legal form, e.g. `ООО "Ромашка"` or `ИП Иванов Иван Иванович`. */
	name: string;
	directorLastName?: string;
	directorFirstName?: string;
	/** The registered address as one line. */
	legalAddress?: string;
	postcode?: string;
	region?: string;
	city?: string;
	settlement?: string;
	street?: string;
	house?: string;
	building?: string;
	office?: string;
}

/** A registry lookup as the registration forms get it: its failure is a value, never thrown. */
export type LookupInnResult =
	| { status: 'found'; company: RegistryCompany }
	| { status: 'not_found' }
	| { status: 'unavailable' };

/** A registry that could not answer (network, quota, bad key): the form falls back to typing. */
export class RegistryUnavailable extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'RegistryUnavailable';
	}
}

/** A registry provider: the company with this INN, or null when the registry has none. */
export interface CompanyRegistry {
	/** For logs and the README: which provider answers. */
	readonly name: string;
	/**
	 * @param inn a checksum-valid 10- or 12-digit INN (the caller validates it)
	 * @throws RegistryUnavailable when the registry cannot answer now
	 */
	findById(inn: string): Promise<RegistryCompany | null>;
}
