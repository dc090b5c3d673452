import { describe, expect, it } from 'vitest';
import { isValidInn, isValidKpp, isValidOgrn, isValidOgrnip } from '../../src/lib/domain/inn';
import { isValidPostcode } from '../../src/lib/domain/postcode';
import { createDemoRegistry, DEMO_REGISTRY_COMPANIES } from './demo';

describe('the bundled demo registry', () => {
	it('holds a dozen companies, both legal entities and individual entrepreneurs', () => {
		expect(DEMO_REGISTRY_COMPANIES.length).toBeGreaterThanOrEqual(12);
		expect(DEMO_REGISTRY_COMPANIES.some((c) => c.inn.length === 10)).toBe(true);
		expect(DEMO_REGISTRY_COMPANIES.some((c) => c.inn.length === 12)).toBe(true);
		const inns = DEMO_REGISTRY_COMPANIES.map((c) => c.inn);
		expect(new Set(inns).size).toBe(inns.length);
	});

	it.each(DEMO_REGISTRY_COMPANIES.map((c) => [c.inn, c] as const))(
		'%s carries valid FTS check digits and a consistent OGRN',
		(inn, c) => {
			expect(isValidInn(inn)).toBe(true);
			if (inn.length === 10) {
				// A legal entity: 13-digit OGRN, a KPP; the OGRN's region matches the INN's.
				expect(isValidOgrn(c.ogrn ?? '')).toBe(true);
				expect(isValidKpp(c.kpp ?? '')).toBe(true);
			} else {
				expect(isValidOgrnip(c.ogrn ?? '')).toBe(true);
				expect(c.kpp).toBeUndefined();
			}
			expect(c.ogrn?.slice(3, 5)).toBe(inn.slice(0, 2));
			if (c.postcode !== undefined) expect(isValidPostcode(c.postcode)).toBe(true);
			expect(c.name.length).toBeGreaterThan(0);
			expect(c.directorLastName && c.directorFirstName).toBeTruthy();
			expect(c.city ?? c.settlement).toBeTruthy();
		}
	);

	it('finds by INN, answers null for an unknown one, and hands out copies', async () => {
		const registry = createDemoRegistry();
		const found = await registry.findById('1655012344');
		expect(found?.name).toBe('ООО "ЧАЙХАНА ВОСТОК"');
		expect(await registry.findById('7707083893')).toBeNull();
		found!.name = 'changed';
		expect((await registry.findById('1655012344'))?.name).toBe('ООО "ЧАЙХАНА ВОСТОК"');
	});
});
