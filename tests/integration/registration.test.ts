import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from './support/db';
import { callerAs, insertPartner } from './support/fixtures';
import { uniqueInn } from './support/inn';

const t = useTestDatabase({ truncate: true });

const form = (over: Partial<Record<string, unknown>> = {}) => ({
	inn: uniqueInn(),
	companyName: 'ООО «Тестовая лавка»',
	email: `shop-${Math.random().toString(36).slice(2, 8)}@example.test`,
	phone: '911-111-1111',
	password: 'Надёжный пароль 2026',
	passwordRepeat: 'Надёжный пароль 2026',
	inviterId: '',
	consentTerms: true,
	consentPrivacy: true,
	...over
});

async function counts() {
	const row = await sql<{ companies: number; users: number; ledger: number }>`
		select (select count(*) from companies) as companies, (select count(*) from users) as users,
			(select count(*) from license_ledger) as ledger`.execute(t.db);
	return {
		companies: Number(row.rows[0]!.companies),
		users: Number(row.rows[0]!.users),
		ledger: Number(row.rows[0]!.ledger)
	};
}

describe('companies.register', () => {
	it('creates a pending company with its account and uses one license of the default inviter 1', async () => {
		await insertPartner(t.db, 1, 2);
		const api = await callerAs(t.db, null);
		// The INN of the bundled demo registry's «ЧАЙХАНА ВОСТОК»; no name typed.
		const outcome = await api.companies.register(
			form({ email: ' Shop@Example.TEST ', inn: ' 1655012344 ', companyName: '' })
		);
		expect(outcome.ok).toBe(true);
		if (!outcome.ok) return;
		const company = await t.db
			.selectFrom('companies')
			.selectAll()
			.where('id', '=', outcome.companyId)
			.executeTakeFirstOrThrow();
		expect(company).toMatchObject({
			status: 'pending',
			email: 'shop@example.test',
			phone: '+79111111111',
			inviter_partner_id: 1,
			// Issue 19 item 9: the operator reviews the registry's company, not «Новая компания».
			inn: '1655012344',
			name: 'ООО "ЧАЙХАНА ВОСТОК"',
			kpp: '165501001',
			ogrn: '1161690012340',
			director_last_name: 'Хабибуллин',
			director_first_name: 'Рустам',
			legal_address: '420111, Респ Татарстан, г Казань, ул Баумана, д 44, офис 12',
			city: 'Казань'
		});
		const user = await t.db
			.selectFrom('users')
			.selectAll()
			.where('id', '=', outcome.userId)
			.executeTakeFirstOrThrow();
		expect(user).toMatchObject({
			role: 'company',
			company_id: company.id,
			email: 'shop@example.test'
		});
		const partner = await t.db.selectFrom('partners').selectAll().executeTakeFirstOrThrow();
		expect(partner.licenses_available).toBe(1);
		const ledger = await t.db.selectFrom('license_ledger').selectAll().execute();
		expect(ledger).toEqual([
			expect.objectContaining({ delta: -1, reason: 'company_registration', company_id: company.id })
		]);
	});

	it('refuses every bad field at once, with a code per field, and creates nothing', async () => {
		await insertPartner(t.db, 1, 2);
		const api = await callerAs(t.db, null);
		const outcome = await api.companies.register(
			form({
				inn: '1655012345',
				email: 'not-an-email',
				phone: '12345',
				password: 'short',
				passwordRepeat: 'other',
				inviterId: 'abc',
				consentTerms: false,
				consentPrivacy: false
			})
		);
		expect(outcome).toEqual({
			ok: false,
			fieldErrors: {
				inn: 'checksum',
				email: 'format',
				phone: 'format',
				password: 'too_short',
				passwordRepeat: 'mismatch',
				inviterId: 'format',
				consentTerms: 'required',
				consentPrivacy: 'required'
			}
		});
		expect(await counts()).toEqual({ companies: 0, users: 0, ledger: 0 });
	});

	it('refuses an inviter that does not exist, and one without licenses, leaving nothing behind', async () => {
		await insertPartner(t.db, 1, 0);
		const api = await callerAs(t.db, null);
		expect(await api.companies.register(form({ inviterId: '77' }))).toEqual({
			ok: false,
			fieldErrors: { inviterId: 'not_found' }
		});
		expect(await api.companies.register(form({ inviterId: '1' }))).toEqual({
			ok: false,
			fieldErrors: {},
			error: 'no_licenses'
		});
		expect(await counts()).toEqual({ companies: 0, users: 0, ledger: 0 });
	});

	it('an INN the registry does not know takes the typed name; without one it asks for it', async () => {
		await insertPartner(t.db, 1, 5);
		const api = await callerAs(t.db, null);
		const inn = uniqueInn();
		expect(await api.companies.register(form({ inn, companyName: '  ' }))).toEqual({
			ok: false,
			fieldErrors: { companyName: 'required' }
		});
		expect(await counts()).toEqual({ companies: 0, users: 0, ledger: 0 });
		const outcome = await api.companies.register(form({ inn, companyName: 'ИП Петров' }));
		expect(outcome.ok).toBe(true);
		const company = await t.db
			.selectFrom('companies')
			.select(['inn', 'name', 'director_last_name'])
			.executeTakeFirstOrThrow();
		expect(company).toEqual({ inn, name: 'ИП Петров', director_last_name: null });
	});

	it('refuses an INN already registered, under the INN', async () => {
		await insertPartner(t.db, 1, 5);
		const api = await callerAs(t.db, null);
		expect((await api.companies.register(form({ inn: '7730123456' }))).ok).toBe(true);
		expect(await api.companies.register(form({ inn: '7730123456' }))).toEqual({
			ok: false,
			fieldErrors: { inn: 'taken' }
		});
	});

	it('looks an INN up for the public form, within a limit per address', async () => {
		const api = await callerAs(t.db, null, '203.0.113.7');
		expect(await api.companies.lookupInn({ inn: '1655012344' })).toMatchObject({
			status: 'found',
			company: { name: 'ООО "ЧАЙХАНА ВОСТОК"', directorLastName: 'Хабибуллин' }
		});
		expect(await api.companies.lookupInn({ inn: '1655012345' })).toEqual({ status: 'not_found' });
		const { lookUpInnForVisitor } = await import('../../server/services/registry-lookup');
		const windows = [{ windowMs: 60_000, max: 1 }];
		const now = new Date('2026-12-01T09:00:00Z');
		const look = (address: string) =>
			lookUpInnForVisitor(t.db, address, '1655012344', { windows, now });
		expect((await look('198.51.100.1')).status).toBe('found');
		expect(await look('198.51.100.1')).toEqual({ status: 'unavailable' });
		expect((await look('198.51.100.2')).status).toBe('found');
	});

	it('refuses an e-mail already registered', async () => {
		await insertPartner(t.db, 1, 5);
		const api = await callerAs(t.db, null);
		expect((await api.companies.register(form({ email: 'twice@example.test' }))).ok).toBe(true);
		expect(await api.companies.register(form({ email: 'TWICE@example.test' }))).toEqual({
			ok: false,
			fieldErrors: { email: 'taken' }
		});
		const partner = await t.db.selectFrom('partners').selectAll().executeTakeFirstOrThrow();
		expect(partner.licenses_available).toBe(4);
	});

	it('10 concurrent registrations against 3 licenses: exactly 3 companies, balance 0, 7 clear refusals', async () => {
		await insertPartner(t.db, 1, 1);
		await insertPartner(t.db, 5, 3);
		const api = await callerAs(t.db, null);
		const outcomes = await Promise.all(
			Array.from({ length: 10 }, (_, i) =>
				api.companies.register(form({ email: `race-${i}@example.test`, inviterId: '5' }))
			)
		);
		const accepted = outcomes.filter((o) => o.ok);
		const refused = outcomes.filter((o) => !o.ok);
		expect(accepted).toHaveLength(3);
		expect(refused).toHaveLength(7);
		for (const r of refused)
			expect(r).toEqual({ ok: false, fieldErrors: {}, error: 'no_licenses' });
		const partner = await t.db
			.selectFrom('partners')
			.select('licenses_available')
			.where('id', '=', 5)
			.executeTakeFirstOrThrow();
		expect(partner.licenses_available).toBe(0);
		expect(await counts()).toEqual({ companies: 3, users: 3, ledger: 3 });
		const ledger = await t.db
			.selectFrom('license_ledger')
			.select(sql<number>`sum(delta)`.as('sum'))
			.where('partner_id', '=', 5)
			.executeTakeFirstOrThrow();
		expect(Number(ledger.sum)).toBe(-3);
	});
});
