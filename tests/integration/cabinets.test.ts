import { beforeAll, describe, expect, it } from 'vitest';
import { logIn } from '../../server/auth/login';
import { validateSessionToken } from '../../server/auth/session';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { useTestDatabase } from './support/db';
import { uniqueInn } from './support/inn';
import {
	callerAs,
	FIXTURE_PASSWORD,
	insertCompany,
	insertCustomer,
	insertPartner,
	insertUser
} from './support/fixtures';

const t = useTestDatabase();
beforeAll(async () => {
	await insertPartner(t.db, 1, 50);
	await insertCustomer(t.db, '123455', 'Иванов Иван');
});

const operatorApi = async () => callerAs(t.db, await insertUser(t.db, 'operator'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function registerAndSignIn(email: string) {
	const outcome = await (
		await callerAs(t.db, null)
	).companies.register({
		inn: uniqueInn(),
		companyName: 'ООО «Новая лавка»',
		email,
		phone: '+7 (912) 345-67-89',
		password: 'Кассовый пароль 1',
		passwordRepeat: 'Кассовый пароль 1',
		inviterId: '1',
		consentTerms: true,
		consentPrivacy: true
	});
	if (!outcome.ok) throw new Error(`registration failed: ${JSON.stringify(outcome)}`);
	const user = await insertUserView(outcome.userId);
	return { companyId: outcome.companyId, api: await callerAs(t.db, user) };
}

async function insertUserView(userId: string) {
	const row = await t.db
		.selectFrom('users')
		.selectAll()
		.where('id', '=', userId)
		.executeTakeFirstOrThrow();
	return {
		id: row.id,
		email: row.email,
		role: row.role,
		locale: row.locale,
		companyId: row.company_id,
		partnerId: row.partner_id,
		customerId: row.customer_id
	};
}

describe('review, approval and rates', () => {
	it('a pending company cannot take payments until approved; then the rate in force applies, and a new rate applies from its moment', async () => {
		const { api, companyId } = await registerAndSignIn('new-shop@example.test');
		const { deviceId } = await api.devices.register({ name: 'Касса 1' });
		const pay = (amountKopecks: number) =>
			api.payments.sync({
				deviceId,
				operations: [
					{
						id: uuidv7(),
						customerId: '123455',
						amountKopecks,
						occurredAt: new Date().toISOString()
					}
				]
			});

		expect((await pay(10_000))[0]).toMatchObject({
			outcome: 'rejected',
			reason: 'company_inactive'
		});

		const operator = await operatorApi();
		const queued = (await operator.operator.reviewQueue()).find((c) => c.id === companyId);
		expect(queued).toMatchObject({
			email: 'new-shop@example.test',
			status: 'pending',
			rateBp: null
		});
		expect(await operator.operator.approve({ companyId, percent: '10' })).toEqual({
			ok: false,
			fieldErrors: {},
			error: 'no_documents'
		});
		const uploaded = await api.companies.uploadDocument({
			fileName: 'устав.pdf',
			content: new TextEncoder().encode('%PDF-1.7\n%%EOF\n')
		});
		expect(uploaded.ok).toBe(true);
		expect(await operator.operator.approve({ companyId, percent: 'десять' })).toEqual({
			ok: false,
			fieldErrors: { percent: 'format' }
		});
		expect(await operator.operator.approve({ companyId, percent: '10' })).toEqual({ ok: true });
		expect(await operator.operator.approve({ companyId, percent: '10' })).toMatchObject({
			ok: false,
			error: 'not_pending'
		});
		expect((await operator.operator.reviewQueue()).map((c) => c.id)).not.toContain(companyId);

		const first = (await pay(10_000))[0];
		expect(first).toMatchObject({
			outcome: 'accepted',
			operation: { rateBp: 1000, cashbackKopecks: 1000 }
		});

		const changed = await operator.operator.setRate({ companyId, percent: '12,5' });
		expect(changed).toMatchObject({ ok: true, rateBp: 1250 });
		await sleep(5);
		const second = (await pay(10_001))[0];
		expect(second).toMatchObject({
			outcome: 'accepted',
			operation: { rateBp: 1250, cashbackKopecks: 1250 }
		});

		const details = await operator.operator.company({ companyId });
		expect(details?.rateBp).toBe(1250);
		expect(details?.rates.map((r) => r.rateBp)).toEqual([1250, 1000]);
		expect((await api.companies.profile()).rateBp).toBe(1250);
		const stored = await t.db
			.selectFrom('operations')
			.select(['rate_bp', 'cashback_kopecks'])
			.where('company_id', '=', companyId)
			.orderBy('occurred_at')
			.execute();
		expect(stored).toEqual([
			{ rate_bp: 1000, cashback_kopecks: 1000 },
			{ rate_bp: 1250, cashback_kopecks: 1250 }
		]);
	});

	it('a rate typed as wall-clock time is read in the company’s own time zone', async () => {
		const companyId = await insertCompany(t.db, { timeZone: 'Asia/Vladivostok', rateBp: 500 });
		const operator = await operatorApi();
		const outcome = await operator.operator.setRate({
			companyId,
			percent: '7.25',
			effectiveFrom: '2030-01-01T00:00'
		});
		expect(outcome).toMatchObject({ ok: true, rateBp: 725 });
		if (!outcome.ok) return;
		expect(outcome.effectiveFrom.toISOString()).toBe('2029-12-31T14:00:00.000Z');
		expect(
			await operator.operator.setRate({
				companyId,
				percent: '8',
				effectiveFrom: '2030-01-01T00:00'
			})
		).toEqual({ ok: false, fieldErrors: { effectiveFrom: 'same_moment' } });
		for (const percent of ['100,01', '-1', '1e2', '']) {
			expect(await operator.operator.setRate({ companyId, percent })).toEqual({
				ok: false,
				fieldErrors: { percent: 'format' }
			});
		}
		const history = (await operator.operator.company({ companyId }))!.rates;
		expect(history.map((r) => r.rateBp)).toEqual([725, 500]);
	});

	it('a rejection needs a reason; the operator can rename a placeholder name', async () => {
		const { companyId, api } = await registerAndSignIn('to-reject@example.test');
		const operator = await operatorApi();
		expect(await operator.operator.reject({ companyId, reason: '  ' })).toEqual({
			ok: false,
			fieldErrors: { reason: 'required' }
		});
		expect(await operator.operator.reject({ companyId, reason: 'Нет устава' })).toEqual({
			ok: true
		});
		expect(await api.companies.reviewStatus()).toMatchObject({
			status: 'rejected',
			rejectionReason: 'Нет устава'
		});
		expect(await operator.operator.renameCompany({ companyId, name: 'ООО «Ромашка»' })).toEqual({
			ok: true
		});
		expect((await api.companies.profile()).name).toBe('ООО «Ромашка»');
	});
});

describe('company profile', () => {
	it('shows and edits the profile; the rate is read-only; the phone is stored E.164', async () => {
		const { api } = await registerAndSignIn('profile@example.test');
		const profile = await api.companies.profile();
		expect(profile).toMatchObject({
			name: 'ООО «Новая лавка»',
			country: 'Россия',
			email: 'profile@example.test',
			phone: '+79123456789',
			timeZone: 'Europe/Moscow',
			rateBp: null
		});
		const edit = {
			name: 'Albixe',
			city: 'Казань',
			country: 'Россия',
			phone: '8 (999) 000-11-22',
			timeZone: 'Asia/Yekaterinburg' as const
		};
		expect(await api.companies.updateProfile({ ...edit, phone: '123' })).toEqual({
			ok: false,
			fieldErrors: { phone: 'format' }
		});
		expect(await api.companies.updateProfile(edit)).toEqual({ ok: true });
		expect(await api.companies.profile()).toMatchObject({
			name: 'Albixe',
			city: 'Казань',
			phone: '+79990001122',
			timeZone: 'Asia/Yekaterinburg'
		});
		await expect(
			api.companies.updateProfile({ ...edit, timeZone: 'Mars/Olympus' as never })
		).rejects.toMatchObject({ code: 'BAD_REQUEST' });
	});

	it('changing the e-mail asks for the password and moves the login', async () => {
		const { api } = await registerAndSignIn('old-mail@example.test');
		await registerAndSignIn('someone-else@example.test');
		expect(
			await api.companies.changeEmail({ email: 'new-mail@example.test', password: 'nope' })
		).toEqual({ ok: false, fieldErrors: { password: 'wrong' } });
		expect(
			await api.companies.changeEmail({
				email: 'someone-else@example.test',
				password: 'Кассовый пароль 1'
			})
		).toEqual({ ok: false, fieldErrors: { email: 'taken' } });
		expect(
			await api.companies.changeEmail({
				email: 'New-Mail@Example.test',
				password: 'Кассовый пароль 1'
			})
		).toEqual({ ok: true, email: 'new-mail@example.test' });
		expect((await api.companies.profile()).email).toBe('new-mail@example.test');
		const login = await logIn(t.db, {
			email: 'new-mail@example.test',
			password: 'Кассовый пароль 1',
			ip: '10.0.0.1'
		});
		expect(login.ok).toBe(true);
	});

	it('changing the password asks for the current one and ends the other sessions', async () => {
		const { companyId } = await registerAndSignIn('pw@example.test');
		const other = await logIn(t.db, {
			email: 'pw@example.test',
			password: 'Кассовый пароль 1',
			ip: '10.0.0.2'
		});
		if (!other.ok) throw new Error('login failed');
		const user = await insertUserView(other.userId);
		const api = await callerAs(t.db, user);
		const input = {
			currentPassword: 'wrong password',
			newPassword: 'Новый пароль 2027',
			newPasswordRepeat: 'Новый пароль 2027'
		};
		expect(await api.companies.changePassword(input)).toEqual({
			ok: false,
			fieldErrors: { currentPassword: 'wrong' }
		});
		expect(
			await api.companies.changePassword({
				...input,
				currentPassword: 'Кассовый пароль 1',
				newPasswordRepeat: 'x'
			})
		).toEqual({ ok: false, fieldErrors: { newPasswordRepeat: 'mismatch' } });
		expect(
			await api.companies.changePassword({
				...input,
				currentPassword: 'Кассовый пароль 1',
				newPassword: 'password',
				newPasswordRepeat: 'password'
			})
		).toEqual({ ok: false, fieldErrors: { newPassword: 'common' } });
		expect(
			await api.companies.changePassword({ ...input, currentPassword: 'Кассовый пароль 1' })
		).toEqual({
			ok: true
		});
		expect(await validateSessionToken(t.db, other.token)).toBeNull();
		expect(companyId).toBeGreaterThan(0);
	});
});

describe('partners and licenses', () => {
	it('creates a partner with the next ID and an account, grants licenses and shows the ledger', async () => {
		await insertPartner(t.db, 7, 0);
		const operator = await operatorApi();
		expect(
			await operator.operator.createPartner({ name: '', email: 'x', password: '1', licenses: 0 })
		).toEqual({
			ok: false,
			fieldErrors: { name: 'required', email: 'format', password: 'too_short' }
		});
		const created = await operator.operator.createPartner({
			name: 'Агент Север',
			email: 'north@example.test',
			password: 'Пароль агента 1',
			licenses: 2
		});
		expect(created).toEqual({ ok: true, partnerId: 8 });
		expect(
			await operator.operator.createPartner({
				name: 'Дубль',
				email: 'NORTH@example.test',
				password: 'Пароль агента 1',
				licenses: 0
			})
		).toEqual({ ok: false, fieldErrors: { email: 'taken' } });

		const login = await logIn(t.db, {
			email: 'north@example.test',
			password: 'Пароль агента 1',
			ip: '10.0.0.3'
		});
		expect(login).toMatchObject({ ok: true, role: 'partner' });

		expect(
			await operator.operator.grantLicenses({ partnerId: 8, count: 3, note: 'Договор 15' })
		).toEqual({
			ok: true,
			left: 5
		});
		expect(await operator.operator.grantLicenses({ partnerId: 999, count: 3 })).toEqual({
			ok: false,
			error: 'not_found'
		});
		const registered = await (
			await callerAs(t.db, null)
		).companies.register({
			inn: uniqueInn(),
			companyName: 'ООО «Северная лавка»',
			email: 'via-north@example.test',
			phone: '9123456780',
			password: 'Кассовый пароль 1',
			passwordRepeat: 'Кассовый пароль 1',
			inviterId: '8',
			consentTerms: true,
			consentPrivacy: true
		});
		expect(registered.ok).toBe(true);
		const ledger = await operator.operator.ledger({ partnerId: 8 });
		expect(ledger?.partner).toMatchObject({
			id: 8,
			licensesAvailable: 4,
			email: 'north@example.test',
			companyCount: 1
		});
		expect(ledger?.entries.map((e) => [e.delta, e.reason])).toEqual([
			[-1, 'company_registration'],
			[3, 'grant'],
			[2, 'grant']
		]);
		const partners = await operator.operator.partners();
		expect(partners.map((p) => p.id)).toEqual(expect.arrayContaining([1, 7, 8]));
		expect(await operator.operator.ledger({ partnerId: 12345 })).toBeNull();
	});

	it('a partner or a company never reaches the operator’s procedures', async () => {
		const partner = await callerAs(t.db, await insertUser(t.db, 'partner', { partnerId: 1 }));
		const companyId = await insertCompany(t.db);
		const company = await callerAs(t.db, await insertUser(t.db, 'company', { companyId }));
		for (const api of [partner, company]) {
			await expect(api.operator.reviewQueue()).rejects.toMatchObject({ code: 'FORBIDDEN' });
			await expect(api.operator.partners()).rejects.toMatchObject({ code: 'FORBIDDEN' });
			await expect(api.operator.setRate({ companyId, percent: '99' })).rejects.toMatchObject({
				code: 'FORBIDDEN'
			});
		}
		const anonymous = await callerAs(t.db, null);
		await expect(anonymous.companies.profile()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
		expect(FIXTURE_PASSWORD).toBeTruthy();
	});
});
