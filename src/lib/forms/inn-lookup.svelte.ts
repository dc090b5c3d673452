import { validateInn } from '$lib/domain/inn';
import type { LookupInnResult, RegistryCompany } from '$server/registry/types';

export type LookupStatus = 'searching' | 'found' | 'not_found' | 'unavailable';

/** The server's registry lookup a form may use: a partner's, or the public one of /register. */
export type InnQuery = (inn: string) => Promise<LookupInnResult>;

/**
 * Looks an INN up in the state registry as soon as it is valid, and only the latest INN
 * counts: an answer for an INN that has since been changed is dropped. One class for both
 * registration forms (the partner's and self-registration), each with its own door.
 */
export class InnLookup {
	#inn = $state<string | null>(null);
	#status = $state<LookupStatus | null>(null);
	#company = $state<RegistryCompany | null>(null);

	constructor(private readonly query: InnQuery) {}

	get status() {
		return this.#status;
	}
	get company() {
		return this.#company;
	}

	/**
	 * Called with the INN as typed. Resolves with the registry's company when this call's INN
	 * was found and is still the current one, else null.
	 */
	async update(typed: string): Promise<RegistryCompany | null> {
		const valid = validateInn(typed);
		if (!valid.ok) {
			this.#inn = null;
			this.#status = null;
			this.#company = null;
			return null;
		}
		if (valid.inn === this.#inn) return null;
		const inn = valid.inn;
		this.#inn = inn;
		this.#status = 'searching';
		this.#company = null;
		try {
			const result = await this.query(inn);
			if (this.#inn !== inn) return null;
			this.#status = result.status;
			this.#company = result.status === 'found' ? result.company : null;
			return this.#company;
		} catch {
			// Offline or a server error: the details can still be typed.
			if (this.#inn === inn) this.#status = 'unavailable';
			return null;
		}
	}
}
