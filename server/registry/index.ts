import { getConfig, type Config } from '../config';
import { createDadataRegistry } from './dadata';
import { createDemoRegistry } from './demo';
import type { CompanyRegistry, RegistryCompany } from './types';

export * from './types';
export { createDadataRegistry } from './dadata';
export { createDemoRegistry, DEMO_REGISTRY_COMPANIES } from './demo';

/** DaData when a key is configured, else the bundled demo registry. */
export function registryFromConfig(config: Pick<Config, 'DADATA_API_KEY' | 'DADATA_URL'>) {
	if (config.DADATA_API_KEY) {
		return withCache(
			createDadataRegistry({ url: config.DADATA_URL, apiKey: config.DADATA_API_KEY })
		);
	}
	return createDemoRegistry();
}

let current: CompanyRegistry | undefined;

/** The process's registry, chosen from the environment on first use. */
export function getRegistry(): CompanyRegistry {
	current ??= registryFromConfig(getConfig());
	return current;
}

/**
 * Puts another registry in place (tests pointing the app at a fake DaData); undefined goes
 * back to the one the environment chooses.
 */
export function replaceRegistry(registry: CompanyRegistry | undefined): void {
	current = registry;
}

/**
 * Remembers answers for a while: the form looks an INN up as it is typed and again at
 * registration, and DaData counts every request against a daily quota. Failures are not
 * remembered, so the next attempt asks again.
 */
export function withCache(
	registry: CompanyRegistry,
	options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}
): CompanyRegistry {
	const ttlMs = options.ttlMs ?? 60 * 60 * 1000;
	const maxEntries = options.maxEntries ?? 1000;
	const now = options.now ?? Date.now;
	const cache = new Map<string, { at: number; company: RegistryCompany | null }>();
	return {
		name: registry.name,
		async findById(inn) {
			const hit = cache.get(inn);
			if (hit && now() - hit.at < ttlMs) return hit.company ? { ...hit.company } : null;
			const company = await registry.findById(inn);
			cache.delete(inn);
			if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
			cache.set(inn, { at: now(), company });
			return company ? { ...company } : null;
		}
	};
}
