import { validateInn } from '$lib/domain/inn';
import type { RegistryCompany } from '$server/registry/types';
import { trpc } from '$lib/trpc';

export type LookupStatus = 'searching' | 'found' | 'not_found' | 'unavailable';

/**
 * Looks an INN up in the state registry (partners.lookupInn) as soon as it is valid, and only
 * the latest INN counts: an answer for an INN that has since been changed is dropped.
 */
export class InnLookup {
	#inn = $state<string | null>(null);
	#status = $state<LookupStatus | null>(null);
	#company = $state<RegistryCompany | null>(null);

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
			const result = await trpc.partners.lookupInn.query({ inn });
			if (this.#inn !== inn) return null;
			this.#status = result.status;
			this.#company = result.status === 'found' ? result.company : null;
			return this.#company;
		} catch {
			// Offline or a server error: the partner can still type the details.
			if (this.#inn === inn) this.#status = 'unavailable';
			return null;
		}
	}
}
