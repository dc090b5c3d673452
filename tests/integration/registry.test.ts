import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
	createDadataRegistry,
	registryFromConfig,
	RegistryUnavailable,
	replaceRegistry,
	withCache
} from '../../server/registry';
import { useTestDatabase } from './support/db';
import { callerAs, insertPartner, insertUser } from './support/fixtures';

/**
 * The DaData adapter against a fake DaData on 127.0.0.1: what it sends, how it maps the
 * answer, and that every failure of the registry is RegistryUnavailable. Never a real address.
 */

interface Seen {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
	body: unknown;
}

let server: Server;
let baseUrl: string;
const seen: Seen[] = [];
let respond: (req: Seen, res: ServerResponse) => void;

beforeAll(async () => {
	server = createServer((req, res) => {
		let raw = '';
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			const entry: Seen = {
				method: req.method ?? '',
				url: req.url ?? '',
				headers: req.headers,
				body: raw ? JSON.parse(raw) : null
			};
			seen.push(entry);
			respond(entry, res);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
	seen.length = 0;
});

function json(res: ServerResponse, status: number, body: unknown) {
	res.writeHead(status, { 'Content-Type': 'application/json' });
	res.end(JSON.stringify(body));
}

/** A trimmed real-shaped DaData answer for a legal entity. */
const LEGAL = {
	value: 'ООО "ЧАЙХАНА ВОСТОК"',
	data: {
		inn: '1655012344',
		kpp: '165501001',
		ogrn: '1161690012340',
		type: 'LEGAL',
		name: {
			full_with_opf: 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "ЧАЙХАНА ВОСТОК"',
			short_with_opf: 'ООО "ЧАЙХАНА ВОСТОК"'
		},
		management: { name: 'Хабибуллин Рустам Ильдарович', post: 'ГЕНЕРАЛЬНЫЙ ДИРЕКТОР' },
		fio: null,
		address: {
			value: 'г Казань, ул Баумана, д 44, офис 12',
			unrestricted_value: '420111, Респ Татарстан, г Казань, ул Баумана, д 44, офис 12',
			data: {
				postal_code: '420111',
				region_with_type: 'Респ Татарстан',
				city: 'Казань',
				city_with_type: 'г Казань',
				settlement_with_type: null,
				street_with_type: 'ул Баумана',
				house_type: 'д',
				house: '44',
				block_type: 'корп',
				block: '2',
				flat_type: 'офис',
				flat: '12'
			}
		}
	}
};

/** An individual entrepreneur: no KPP, no management, the person in `fio`. */
const INDIVIDUAL = {
	value: 'ИП Ким Виктория Александровна',
	data: {
		inn: '253611882253',
		kpp: null,
		ogrn: '319253600008819',
		type: 'INDIVIDUAL',
		name: {
			full_with_opf: 'Индивидуальный предприниматель Ким Виктория Александровна',
			short_with_opf: 'ИП Ким Виктория Александровна'
		},
		management: null,
		fio: { surname: 'Ким', name: 'Виктория', patronymic: 'Александровна' },
		address: {
			value: 'Приморский край, г Владивосток',
			data: {
				postal_code: null,
				region_with_type: 'Приморский край',
				city: 'Владивосток',
				settlement_with_type: null
			}
		}
	}
};

describe('the DaData adapter', () => {
	it('posts {query: inn} to findById/party with the token and maps the first suggestion', async () => {
		respond = (_req, res) => json(res, 200, { suggestions: [LEGAL] });
		const registry = createDadataRegistry({
			url: `${baseUrl}/suggestions/api/4_1/rs/findById/party`,
			apiKey: 'test-key'
		});
		const company = await registry.findById('1655012344');

		expect(seen).toHaveLength(1);
		expect(seen[0]).toMatchObject({
			method: 'POST',
			url: '/suggestions/api/4_1/rs/findById/party',
			body: { query: '1655012344', branch_type: 'MAIN' }
		});
		expect(seen[0]!.headers.authorization).toBe('Token test-key');
		expect(seen[0]!.headers['content-type']).toBe('application/json');
		expect(seen[0]!.headers.accept).toBe('application/json');

		expect(company).toEqual({
			inn: '1655012344',
			kpp: '165501001',
			ogrn: '1161690012340',
			name: 'ООО "ЧАЙХАНА ВОСТОК"',
			directorLastName: 'Хабибуллин',
			directorFirstName: 'Рустам',
			legalAddress: 'г Казань, ул Баумана, д 44, офис 12',
			postcode: '420111',
			region: 'Респ Татарстан',
			city: 'Казань',
			street: 'ул Баумана',
			house: '44',
			building: 'корп 2',
			office: 'офис 12'
		});
	});

	it('takes an entrepreneur from fio and leaves out what DaData does not know', async () => {
		respond = (_req, res) => json(res, 200, { suggestions: [INDIVIDUAL] });
		const registry = createDadataRegistry({ url: `${baseUrl}/party`, apiKey: 'k' });
		expect(await registry.findById('253611882253')).toEqual({
			inn: '253611882253',
			ogrn: '319253600008819',
			name: 'ИП Ким Виктория Александровна',
			directorLastName: 'Ким',
			directorFirstName: 'Виктория',
			legalAddress: 'Приморский край, г Владивосток',
			region: 'Приморский край',
			city: 'Владивосток'
		});
	});

	it('prefers the suggestion with the INN asked for, and skips a director that is an organisation', async () => {
		const managed = {
			data: {
				...LEGAL.data,
				inn: '7730123456',
				management: { name: 'ООО "УПРАВЛЯЮЩАЯ КОМПАНИЯ №1"' }
			}
		};
		respond = (_req, res) => json(res, 200, { suggestions: [LEGAL, managed] });
		const registry = createDadataRegistry({ url: `${baseUrl}/party`, apiKey: 'k' });
		const company = await registry.findById('7730123456');
		expect(company?.inn).toBe('7730123456');
		expect(company?.directorLastName).toBeUndefined();
		expect(company?.directorFirstName).toBeUndefined();
	});

	it('answers null when DaData has no such party', async () => {
		respond = (_req, res) => json(res, 200, { suggestions: [] });
		const registry = createDadataRegistry({ url: `${baseUrl}/party`, apiKey: 'k' });
		expect(await registry.findById('7707083893')).toBeNull();
	});

	it.each([
		[401, { message: 'Zero balance' }],
		[403, { message: 'Forbidden' }],
		[429, { message: 'Too many requests' }],
		[500, 'boom']
	])('throws RegistryUnavailable on HTTP %i', async (status, body) => {
		respond = (_req, res) => json(res, status, body);
		const registry = createDadataRegistry({ url: `${baseUrl}/party`, apiKey: 'k' });
		await expect(registry.findById('1655012344')).rejects.toBeInstanceOf(RegistryUnavailable);
	});

	it('throws RegistryUnavailable on a body that is not JSON', async () => {
		respond = (_req, res) => {
			res.writeHead(200, { 'Content-Type': 'text/html' });
			res.end('<html>captive portal</html>');
		};
		const registry = createDadataRegistry({ url: `${baseUrl}/party`, apiKey: 'k' });
		await expect(registry.findById('1655012344')).rejects.toBeInstanceOf(RegistryUnavailable);
	});

	it('gives up after its timeout instead of holding the form', async () => {
		respond = (_req, res) => setTimeout(() => json(res, 200, { suggestions: [LEGAL] }), 2000);
		const registry = createDadataRegistry({ url: `${baseUrl}/party`, apiKey: 'k', timeoutMs: 200 });
		const started = Date.now();
		await expect(registry.findById('1655012344')).rejects.toBeInstanceOf(RegistryUnavailable);
		expect(Date.now() - started).toBeLessThan(1500);
	});

	it('throws RegistryUnavailable when nothing listens', async () => {
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const port = (closed.address() as AddressInfo).port;
		await new Promise((resolve) => closed.close(resolve));
		const registry = createDadataRegistry({ url: `http://127.0.0.1:${port}/party`, apiKey: 'k' });
		await expect(registry.findById('1655012344')).rejects.toBeInstanceOf(RegistryUnavailable);
	});
});

describe('choosing and caching the registry', () => {
	it('uses DaData only when a key is configured', async () => {
		expect(
			registryFromConfig({ DADATA_API_KEY: undefined, DADATA_URL: `${baseUrl}/party` }).name
		).toBe('demo');
		respond = (_req, res) => json(res, 200, { suggestions: [LEGAL] });
		const dadata = registryFromConfig({ DADATA_API_KEY: 'secret', DADATA_URL: `${baseUrl}/party` });
		expect(dadata.name).toBe('dadata');
		expect((await dadata.findById('1655012344'))?.name).toBe('ООО "ЧАЙХАНА ВОСТОК"');
		expect(seen[0]!.headers.authorization).toBe('Token secret');
	});

	it('remembers answers for a while but never a failure', async () => {
		let now = 0;
		let fail = true;
		respond = (_req, res) => (fail ? json(res, 503, {}) : json(res, 200, { suggestions: [LEGAL] }));
		const registry = withCache(createDadataRegistry({ url: `${baseUrl}/party`, apiKey: 'k' }), {
			ttlMs: 1000,
			now: () => now
		});
		await expect(registry.findById('1655012344')).rejects.toBeInstanceOf(RegistryUnavailable);
		fail = false;
		const first = await registry.findById('1655012344');
		first!.name = 'changed by a caller';
		expect((await registry.findById('1655012344'))?.name).toBe('ООО "ЧАЙХАНА ВОСТОК"');
		expect(seen).toHaveLength(2);
		now = 1001;
		await registry.findById('1655012344');
		expect(seen).toHaveLength(3);
	});
});

describe('the partner form through DaData', () => {
	const t = useTestDatabase();
	beforeAll(async () => {
		await insertPartner(t.db, 3, 10);
		replaceRegistry(createDadataRegistry({ url: `${baseUrl}/party`, apiKey: 'k', timeoutMs: 500 }));
	});
	afterAll(() => {
		replaceRegistry(undefined);
	});

	const typed = {
		name: 'Набрано вручную',
		directorLastName: 'Иванов',
		directorFirstName: 'Иван',
		postcode: '420111',
		region: 'Респ Татарстан',
		city: 'Казань',
		street: 'ул Баумана',
		house: '44',
		phone: '+7 (912) 000-00-01',
		password: 'long enough passphrase'
	};

	it('lookupInn says "unavailable" when DaData fails, and registration takes the typed details', async () => {
		respond = (_req, res) => json(res, 503, {});
		const caller = await callerAs(t.db, await insertUser(t.db, 'partner', { partnerId: 3 }));
		expect(await caller.partners.lookupInn({ inn: '1655012344' })).toEqual({
			status: 'unavailable'
		});
		const outcome = await caller.partners.registerCompany({
			...typed,
			inn: '1655012344',
			email: 'down@example.test'
		});
		if (!outcome.ok) throw new Error(outcome.error);
		const row = await t.db
			.selectFrom('companies')
			.select(['name', 'director_last_name', 'kpp'])
			.where('id', '=', outcome.companyId)
			.executeTakeFirstOrThrow();
		expect(row).toEqual({ name: 'Набрано вручную', director_last_name: 'Иванов', kpp: null });
	});

	it("registration stores DaData's details over the typed ones when DaData answers", async () => {
		respond = (_req, res) => json(res, 200, { suggestions: [{ data: { ...INDIVIDUAL.data } }] });
		const caller = await callerAs(t.db, await insertUser(t.db, 'partner', { partnerId: 3 }));
		expect(await caller.partners.lookupInn({ inn: '253611882253' })).toMatchObject({
			status: 'found',
			company: { name: 'ИП Ким Виктория Александровна' }
		});
		const outcome = await caller.partners.registerCompany({
			...typed,
			inn: '253611882253',
			email: 'kim@example.test'
		});
		if (!outcome.ok) throw new Error(outcome.error);
		const row = await t.db
			.selectFrom('companies')
			.select(['name', 'director_last_name', 'director_first_name', 'ogrn', 'legal_address'])
			.where('id', '=', outcome.companyId)
			.executeTakeFirstOrThrow();
		expect(row).toEqual({
			name: 'ИП Ким Виктория Александровна',
			director_last_name: 'Ким',
			director_first_name: 'Виктория',
			ogrn: '319253600008819',
			legal_address: 'Приморский край, г Владивосток'
		});
	});
});
