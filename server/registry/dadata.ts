import { RegistryUnavailable, type CompanyRegistry, type RegistryCompany } from './types';

/** What Kopek reads of a DaData `findById/party` suggestion; everything may be missing. */
interface PartyData {
	inn?: string | null;
	kpp?: string | null;
	ogrn?: string | null;
	type?: 'LEGAL' | 'INDIVIDUAL' | null;
	name?: { short_with_opf?: string | null; full_with_opf?: string | null } | null;
	management?: { name?: string | null } | null;
	fio?: { surname?: string | null; name?: string | null } | null;
	address?: {
		value?: string | null;
		data?: {
			postal_code?: string | null;
			region_with_type?: string | null;
			city?: string | null;
			settlement_with_type?: string | null;
			street_with_type?: string | null;
			house?: string | null;
			block_type?: string | null;
			block?: string | null;
			flat_type?: string | null;
			flat?: string | null;
		} | null;
	} | null;
}

export interface DadataOptions {
	/** The `findById/party` endpoint (config DADATA_URL). */
	url: string;
	/** The API key (config DADATA_API_KEY), sent as `Authorization: Token <key>`. */
	apiKey: string;
	/** A slow registry must not hold the form: after this the partner types by hand. */
	timeoutMs?: number;
}

/**
 * The DaData "find party by INN" API (`POST findById/party`, JSON `{query: inn}`), mapped to
 * the registry fields of the partner's form. Only the head office is asked for
 * (`branch_type: MAIN`): a branch has its own KPP and address but is not the client.
 */
export function createDadataRegistry(options: DadataOptions): CompanyRegistry {
	const timeoutMs = options.timeoutMs ?? 5000;
	return {
		name: 'dadata',
		async findById(inn) {
			let response: Response;
			try {
				response = await fetch(options.url, {
					method: 'POST',
					headers: {
						'Content-Type': 'application/json',
						Accept: 'application/json',
						Authorization: `Token ${options.apiKey}`
					},
					body: JSON.stringify({ query: inn, branch_type: 'MAIN' }),
					signal: AbortSignal.timeout(timeoutMs)
				});
			} catch (error) {
				throw new RegistryUnavailable('DaData did not answer', { cause: error });
			}
			if (!response.ok) {
				// 401/403 a bad key, 429 the quota, 5xx their trouble: none is the partner's fault.
				await response.body?.cancel();
				throw new RegistryUnavailable(`DaData answered HTTP ${response.status}`);
			}
			let body: { suggestions?: { data?: PartyData | null }[] | null };
			try {
				body = (await response.json()) as typeof body;
			} catch (error) {
				throw new RegistryUnavailable('DaData answered something other than JSON', {
					cause: error
				});
			}
			const suggestions = Array.isArray(body?.suggestions) ? body.suggestions : [];
			const data =
				suggestions.find((s) => s?.data?.inn === inn)?.data ?? suggestions[0]?.data ?? null;
			return data ? mapParty(inn, data) : null;
		}
	};
}

/** A DaData party as the form's fields. Exported for the mapping tests. */
export function mapParty(inn: string, data: PartyData): RegistryCompany | null {
	const name = text(data.name?.short_with_opf) ?? text(data.name?.full_with_opf);
	if (!name) return null;
	const director = directorOf(data);
	const address = data.address?.data ?? null;
	return compact({
		inn: text(data.inn) ?? inn,
		kpp: text(data.kpp),
		ogrn: text(data.ogrn),
		name,
		directorLastName: director?.lastName,
		directorFirstName: director?.firstName,
		legalAddress: text(data.address?.value),
		postcode: text(address?.postal_code),
		region: text(address?.region_with_type),
		city: text(address?.city),
		settlement: text(address?.settlement_with_type),
		street: text(address?.street_with_type),
		house: text(address?.house),
		building: joined(address?.block_type, address?.block),
		office: joined(address?.flat_type, address?.flat)
	});
}

/** An entrepreneur is their own director; a company's is `management.name`, "Фамилия Имя Отчество". */
function directorOf(data: PartyData): { lastName?: string; firstName?: string } | null {
	const surname = text(data.fio?.surname);
	const first = text(data.fio?.name);
	if (surname || first) return { lastName: surname, firstName: first };
	const full = text(data.management?.name);
	// A company run by a management company has an organisation's name here, not a person's.
	if (!full || !/^[\p{L}-]+(?:\s+[\p{L}-]+){1,3}$/u.test(full)) return null;
	const [lastName, firstName] = full.split(/\s+/);
	return { lastName, firstName };
}

function text(value: string | null | undefined): string | undefined {
	const trimmed = typeof value === 'string' ? value.trim() : '';
	return trimmed === '' ? undefined : trimmed;
}

function joined(type: string | null | undefined, value: string | null | undefined) {
	const v = text(value);
	if (!v) return undefined;
	const t = text(type);
	return t ? `${t} ${v}` : v;
}

function compact(company: RegistryCompany): RegistryCompany {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(company)) if (value !== undefined) out[key] = value;
	return out as unknown as RegistryCompany;
}
