import { TRPCError } from '@trpc/server';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../server/auth/session';
import { verifyPassword } from '../../server/auth/password';
import { useTestDatabase } from './support/db';
import { callerAs, insertCompany, insertPartner, insertUser } from './support/fixtures';

const t = useTestDatabase({ truncate: true });
let partner: SessionUser;
let otherPartner: SessionUser;

beforeEach(async () => {
	await insertPartner(t.db, 1, 100);
	await insertPartner(t.db, 7, 2);
	await insertPartner(t.db, 8, 5);
	partner = await insertUser(t.db, 'partner', { partnerId: 7 });
	otherPartner = await insertUser(t.db, 'partner', { partnerId: 8 });
});

/** The form as a partner fills it for a company of the demo registry (Казань). */
function form(overrides: Record<string, string> = {}) {
	return {
		inn: '1655012344',
		name: 'ООО "ЧАЙХАНА ВОСТОК"',
		directorLastName: 'Хабибуллин',
		directorFirstName: 'Рустам',
		postcode: '420111',
		region: 'Респ Татарстан',
		city: 'Казань',
		settlement: '',
		street: 'ул Баумана',
		house: '44',
		building: '',
		office: 'офис 12',
		phone: '911-111-1111',
		email: 'Chaikhana@Example.test',
		password: 'чайхана-на-баумана',
		...overrides
	};
}

async function counts() {
	const [companies, users, ledger, partnerRow] = await Promise.all([
		t.db
			.selectFrom('companies')
			.select((s) => s.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow(),
		t.db
			.selectFrom('users')
			.select((s) => s.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow(),
		t.db
			.selectFrom('license_ledger')
			.select((s) => s.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow(),
		t.db
			.selectFrom('partners')
			.select('licenses_available')
			.where('id', '=', 7)
			.executeTakeFirstOrThrow()
	]);
	return {
		companies: Number(companies.n),
		users: Number(users.n),
		ledger: Number(ledger.n),
		licenses: partnerRow.licenses_available
	};
}

describe('partners.registerCompany', () => {
	it('creates a pending company with its admin account and consumes one license', async () => {
		const caller = await callerAs(t.db, partner);
		const outcome = await caller.partners.registerCompany(form());
		expect(outcome).toEqual({
			ok: true,
			companyId: expect.any(Number),
			name: 'ООО "ЧАЙХАНА ВОСТОК"',
			licensesLeft: 1
		});
		if (!outcome.ok) throw new Error('unreachable');

		const company = await t.db
			.selectFrom('companies')
			.selectAll()
			.where('id', '=', outcome.companyId)
			.executeTakeFirstOrThrow();
		expect(company).toMatchObject({
			status: 'pending',
			inn: '1655012344',
			kpp: '165501001',
			ogrn: '1161690012340',
			name: 'ООО "ЧАЙХАНА ВОСТОК"',
			director_last_name: 'Хабибуллин',
			director_first_name: 'Рустам',
			legal_address: '420111, Респ Татарстан, г Казань, ул Баумана, д 44, офис 12',
			postcode: '420111',
			city: 'Казань',
			settlement: null,
			building: null,
			office: 'офис 12',
			phone: '+79111111111',
			email: 'chaikhana@example.test',
			inviter_partner_id: 7
		});
		const user = await t.db
			.selectFrom('users')
			.selectAll()
			.where('company_id', '=', outcome.companyId)
			.executeTakeFirstOrThrow();
		expect(user.role).toBe('company');
		expect(user.email).toBe('chaikhana@example.test');
		expect(await verifyPassword(user.password_hash, 'чайхана-на-баумана')).toBe(true);

		const ledger = await t.db
			.selectFrom('license_ledger')
			.selectAll()
			.where('partner_id', '=', 7)
			.execute();
		expect(ledger).toEqual([
			expect.objectContaining({
				delta: -1,
				reason: 'company_registration',
				company_id: outcome.companyId
			})
		]);
		expect((await counts()).licenses).toBe(1);
	});

	it('takes the official details from the registry over what was typed', async () => {
		const caller = await callerAs(t.db, partner);
		const outcome = await caller.partners.registerCompany(
			form({ name: 'Моя чайхана', directorLastName: 'Петров', kpp: '999999999' })
		);
		if (!outcome.ok) throw new Error(outcome.error);
		const company = await t.db
			.selectFrom('companies')
			.select(['name', 'director_last_name', 'kpp'])
			.where('id', '=', outcome.companyId)
			.executeTakeFirstOrThrow();
		expect(company).toEqual({
			name: 'ООО "ЧАЙХАНА ВОСТОК"',
			director_last_name: 'Хабибуллин',
			kpp: '165501001'
		});
	});

	it('registers an INN the registry does not know with the typed details', async () => {
		const caller = await callerAs(t.db, partner);
		// 7707083893: valid checksum, not in the demo registry.
		const outcome = await caller.partners.registerCompany(
			form({
				inn: '7707083893',
				name: 'ООО "Новая лавка"',
				kpp: '770701001',
				ogrn: '1027700132195',
				city: '',
				settlement: 'с Михайловка'
			})
		);
		if (!outcome.ok) throw new Error(outcome.error);
		const company = await t.db
			.selectFrom('companies')
			.select(['name', 'kpp', 'ogrn', 'city', 'settlement', 'legal_address'])
			.where('id', '=', outcome.companyId)
			.executeTakeFirstOrThrow();
		expect(company).toEqual({
			name: 'ООО "Новая лавка"',
			kpp: '770701001',
			ogrn: '1027700132195',
			city: null,
			settlement: 'с Михайловка',
			legal_address: null
		});
	});

	it('refuses an INN that is already registered, with any partner, and creates nothing', async () => {
		await (
			await callerAs(t.db, otherPartner)
		).partners.registerCompany(form({ email: 'first@example.test' }));
		const before = await counts();
		const caller = await callerAs(t.db, partner);
		const outcome = await caller.partners.registerCompany(form({ email: 'second@example.test' }));
		expect(outcome).toEqual({ ok: false, error: 'inn_taken' });
		expect(await counts()).toEqual(before);
	});

	it('refuses an e-mail that is already a login, whatever its case, and creates nothing', async () => {
		await insertUser(t.db, 'operator', { email: 'taken@example.test' });
		const before = await counts();
		const caller = await callerAs(t.db, partner);
		const outcome = await caller.partners.registerCompany(form({ email: ' Taken@Example.TEST ' }));
		expect(outcome).toEqual({ ok: false, error: 'email_taken' });
		expect(await counts()).toEqual(before);
	});

	it('says so when no license is left, and creates nothing', async () => {
		const caller = await callerAs(t.db, partner);
		expect(
			(await caller.partners.registerCompany(form({ inn: '7730123456', email: 'a@example.test' })))
				.ok
		).toBe(true);
		expect(
			(await caller.partners.registerCompany(form({ inn: '7801122331', email: 'b@example.test' })))
				.ok
		).toBe(true);
		const before = await counts();
		expect(before.licenses).toBe(0);
		const outcome = await caller.partners.registerCompany(
			form({ inn: '6315045670', email: 'c@example.test' })
		);
		expect(outcome).toEqual({ ok: false, error: 'no_licenses' });
		expect(await counts()).toEqual(before);
	});

	it('concurrent registrations never spend more licenses than the partner has', async () => {
		const caller = await callerAs(t.db, partner);
		const inns = [
			'7730123456',
			'7801122331',
			'6315045670',
			'6670188990',
			'5406024682',
			'5260035798'
		];
		const outcomes = await Promise.all(
			inns.map((inn, i) =>
				caller.partners.registerCompany(form({ inn, email: `c${i}@example.test` }))
			)
		);
		expect(outcomes.filter((o) => o.ok)).toHaveLength(2);
		expect(outcomes.filter((o) => !o.ok)).toEqual(
			Array.from({ length: 4 }, () => ({ ok: false, error: 'no_licenses' }))
		);
		expect(await counts()).toMatchObject({ companies: 2, licenses: 0 });
	});

	it('refuses invalid fields with field-level messages and creates nothing', async () => {
		const caller = await callerAs(t.db, partner);
		const before = await counts();
		const error = await caller.partners
			.registerCompany(
				form({
					inn: '1655012345',
					postcode: '4201',
					phone: '12345',
					email: 'not-an-email',
					password: 'short',
					street: '  ',
					city: '',
					settlement: ''
				})
			)
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(TRPCError);
		expect((error as TRPCError).code).toBe('BAD_REQUEST');
		// The caller sees what the HTTP client would: the error formatter's field errors.
		const cause = (error as TRPCError).cause as unknown as {
			issues: { path: string[]; message: string }[];
		};
		const byField = Object.fromEntries(cause.issues.map((i) => [i.path[0], i.message]));
		expect(byField).toMatchObject({
			inn: 'partner.error.inn.checksum',
			postcode: 'partner.error.postcode',
			phone: 'partner.error.phone.format',
			email: 'partner.error.email.format',
			street: 'partner.error.required'
		});
		expect(await counts()).toEqual(before);
	});

	it('applies the password policy and the city-or-settlement rule once the fields parse', async () => {
		const caller = await callerAs(t.db, partner);
		const error = (await caller.partners
			.registerCompany(form({ password: 'password', city: '', settlement: '', kpp: '12' }))
			.catch((e: unknown) => e)) as TRPCError;
		const cause = error.cause as unknown as { issues: { path: string[]; message: string }[] };
		const byField = Object.fromEntries(cause.issues.map((i) => [i.path[0], i.message]));
		expect(byField).toEqual({
			password: 'partner.error.password.common',
			city: 'partner.error.cityOrSettlement',
			kpp: 'partner.error.kpp'
		});
	});

	it('refuses a KPP for an individual entrepreneur and an OGRN of the wrong kind', async () => {
		const caller = await callerAs(t.db, partner);
		const error = (await caller.partners
			.registerCompany(form({ inn: '772455667780', kpp: '772401001', ogrn: '1177746123455' }))
			.catch((e: unknown) => e)) as TRPCError;
		const cause = error.cause as unknown as { issues: { path: string[]; message: string }[] };
		expect(cause.issues.map((i) => i.path[0]).sort()).toEqual(['kpp', 'ogrn']);
	});
});

describe('partner isolation', () => {
	it('a partner lists only its own companies, with its license balance', async () => {
		const mine = await insertCompany(t.db, { name: 'Моя', partnerId: 7, status: 'active' });
		await insertCompany(t.db, { name: 'Чужая', partnerId: 8 });
		const overview = await (await callerAs(t.db, partner)).partners.overview();
		expect(overview.partner).toEqual({ id: 7, name: 'Partner 7', licensesAvailable: 2 });
		expect(overview.companies.map((c) => [c.id, c.name, c.status])).toEqual([
			[mine, 'Моя', 'active']
		]);
		expect(overview.registry).toBe('demo');
	});

	it("a partner cannot open another partner's company card", async () => {
		const theirs = await insertCompany(t.db, { name: 'Чужая', partnerId: 8 });
		expect(
			await (await callerAs(t.db, partner)).partners.company({ companyId: theirs })
		).toBeNull();
		const own = await (await callerAs(t.db, otherPartner)).partners.company({ companyId: theirs });
		expect(own?.company.name).toBe('Чужая');
		expect(own?.devices).toEqual([]);
	});

	it("registers a terminal for its own company only, never for another partner's", async () => {
		const mine = await insertCompany(t.db, { partnerId: 7, status: 'pending' });
		const theirs = await insertCompany(t.db, { partnerId: 8 });
		const caller = await callerAs(t.db, partner);

		const refused = await caller.partners.registerDevice({ companyId: theirs, name: 'Касса 9' });
		expect(refused).toEqual({ ok: false, error: 'company_not_found' });
		const missing = await caller.partners.registerDevice({ companyId: 999999, name: 'Касса 9' });
		expect(missing).toEqual({ ok: false, error: 'company_not_found' });
		expect(await t.db.selectFrom('devices').selectAll().execute()).toEqual([]);

		const registered = await caller.partners.registerDevice({
			companyId: mine,
			name: '  Касса 1  '
		});
		expect(registered).toMatchObject({ ok: true, device: { name: 'Касса 1' } });
		const card = await caller.partners.company({ companyId: mine });
		expect(card?.devices.map((d) => d.name)).toEqual(['Касса 1']);
		const rows = await t.db.selectFrom('devices').select(['company_id', 'name']).execute();
		expect(rows).toEqual([{ company_id: mine, name: 'Касса 1' }]);
	});
});

describe('partners.lookupInn', () => {
	it('returns the demo registry details for a known INN and not_found for an unknown one', async () => {
		const caller = await callerAs(t.db, partner);
		const found = await caller.partners.lookupInn({ inn: ' 253611882253 ' });
		expect(found).toEqual({
			status: 'found',
			company: expect.objectContaining({
				inn: '253611882253',
				ogrn: '319253600008819',
				name: 'ИП Ким Виктория Александровна',
				directorLastName: 'Ким',
				directorFirstName: 'Виктория',
				city: 'Владивосток'
			})
		});
		expect(await caller.partners.lookupInn({ inn: '7707083893' })).toEqual({ status: 'not_found' });
	});

	it('answers the same whether or not the INN is already a Kopek client', async () => {
		const caller = await callerAs(t.db, partner);
		const before = await caller.partners.lookupInn({ inn: '1655012344' });
		await (await callerAs(t.db, otherPartner)).partners.registerCompany(form());
		expect(await caller.partners.lookupInn({ inn: '1655012344' })).toEqual(before);
	});

	it('refuses an INN with a wrong check digit before asking any registry', async () => {
		const caller = await callerAs(t.db, partner);
		const error = (await caller.partners
			.lookupInn({ inn: '1655012345' })
			.catch((e: unknown) => e)) as TRPCError;
		expect(error.code).toBe('BAD_REQUEST');
	});
});
