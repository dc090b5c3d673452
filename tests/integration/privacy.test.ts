import { beforeAll, describe, expect, it } from 'vitest';
import { logIn } from '../../server/auth/login';
import { validateSessionToken } from '../../server/auth/session';
import { consentVersion } from '../../server/services/consent-records';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { useTestDatabase } from './support/db';
import { callerAs, insertCompany, insertPartner, insertUser } from './support/fixtures';
import { uniqueInn } from './support/inn';

const t = useTestDatabase();
beforeAll(async () => {
	await insertPartner(t.db, 1, 20);
});

const BROWSER = 'Mozilla/5.0 (Linux; Android 14) Kopek-test';
const request = () =>
	new Request('http://localhost/signup', { method: 'POST', headers: { 'user-agent': BROWSER } });
const anonymous = () => callerAs(t.db, null, '203.0.113.7', request());

let phoneCounter = 0;
function form(overrides: Record<string, unknown> = {}) {
	phoneCounter += 1;
	return {
		name: 'Смирнова Анна',
		phone: `912-000-${String(1000 + phoneCounter).slice(-4)}`,
		email: `anna-${phoneCounter}@example.test`,
		password: 'мой пароль для кэшбэка',
		consentPersonalData: true,
		...overrides
	};
}

async function signedUp(overrides: Record<string, unknown> = {}) {
	const values = form(overrides);
	const outcome = await (await anonymous()).me.signup(values);
	if (!outcome.ok) throw new Error(outcome.error);
	const row = await t.db
		.selectFrom('users')
		.selectAll()
		.where('id', '=', outcome.userId)
		.executeTakeFirstOrThrow();
	const user = {
		id: row.id,
		email: row.email,
		role: row.role,
		locale: row.locale,
		companyId: null,
		partnerId: null,
		customerId: row.customer_id
	};
	return { ...outcome, values, user, api: await callerAs(t.db, user) };
}

const consentsOf = (customerId: string) =>
	t.db
		.selectFrom('consents')
		.selectAll()
		.where('customer_id', '=', customerId)
		.orderBy('id')
		.execute();

describe('consents at sign-up (152-FZ)', () => {
	it('refuses a sign-up without the personal-data consent and creates nothing', async () => {
		const before = await t.db
			.selectFrom('customers')
			.select((s) => s.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		await expect(
			(await anonymous()).me.signup(form({ consentPersonalData: false, consentMarketing: true }))
		).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		const after = await t.db
			.selectFrom('customers')
			.select((s) => s.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		expect(Number(after.n)).toBe(Number(before.n));
	});

	it('records the personal-data consent with its text version, time, address and browser', async () => {
		const startedAt = Date.now();
		const { customerId } = await signedUp();
		const consents = await consentsOf(customerId);
		expect(consents).toHaveLength(1);
		const [consent] = consents;
		expect(consent).toMatchObject({
			purpose: 'personal_data',
			document: expect.stringMatching(/^privacy@\d{4}-\d{2}-\d{2}$/),
			locale: 'ru',
			text_hash: consentVersion('signupPersonalData', 'ru').textHash,
			ip: '203.0.113.7',
			user_agent: BROWSER,
			withdrawn_at: null,
			company_id: null
		});
		expect(consent!.text_hash).toMatch(/^[0-9a-f]{64}$/);
		expect(consent!.given_at.getTime()).toBeGreaterThanOrEqual(startedAt - 5000);
	});

	it('records the optional marketing consent separately, only when given', async () => {
		const { customerId } = await signedUp({ consentMarketing: true });
		const consents = await consentsOf(customerId);
		expect(consents.map((c) => c.purpose)).toEqual(['personal_data', 'marketing']);
		expect(consents[1]!.text_hash).toBe(consentVersion('signupMarketing', 'ru').textHash);
		expect(consents[1]!.text_hash).not.toBe(consents[0]!.text_hash);
	});

	it('a different text is a different version: the language shown changes the hash', () => {
		expect(consentVersion('signupPersonalData', 'en').textHash).not.toBe(
			consentVersion('signupPersonalData', 'ru').textHash
		);
		expect(consentVersion('signupPersonalData', 'ru')).toEqual(
			consentVersion('signupPersonalData', 'ru')
		);
	});

	it('a company registration records its two consents the same way', async () => {
		const outcome = await (
			await callerAs(t.db, null, '198.51.100.4', request())
		).companies.register({
			inn: uniqueInn(),
			companyName: 'ООО «Согласие»',
			email: 'shop-consents@example.test',
			phone: '+7 (912) 345-67-00',
			password: 'Кассовый пароль 1',
			passwordRepeat: 'Кассовый пароль 1',
			inviterId: '1',
			consentTerms: true,
			consentPrivacy: true
		});
		if (!outcome.ok) throw new Error(JSON.stringify(outcome));
		const operator = await callerAs(t.db, await insertUser(t.db, 'operator'));
		const consents = await operator.privacy.companyConsents({ companyId: outcome.companyId });
		expect(consents.map((c) => [c.purpose, c.ip, c.userAgent])).toEqual([
			['terms', '198.51.100.4', BROWSER],
			['personal_data', '198.51.100.4', BROWSER]
		]);
		expect(consents[0]!.textHash).toBe(consentVersion('registerTerms', 'ru').textHash);
		expect(consents[1]!.textHash).toBe(consentVersion('registerPrivacy', 'ru').textHash);
	});

	it('the operator finds a customer by ID, phone or e-mail with their consents', async () => {
		const { customerId, values } = await signedUp({ consentMarketing: true });
		const operator = await callerAs(t.db, await insertUser(t.db, 'operator'));
		for (const query of [
			customerId,
			values.phone as string,
			(values.email as string).toUpperCase()
		]) {
			const found = await operator.privacy.customer({ query });
			expect(found).toMatchObject({ id: customerId, name: 'Смирнова Анна', erasedAt: null });
			expect(found!.consents.map((c) => c.purpose)).toEqual(['personal_data', 'marketing']);
		}
		expect(await operator.privacy.customer({ query: 'nobody@example.test' })).toBeNull();
	});
});

describe('download and erasure', () => {
	async function companyThatServed(customerId: string, bills: number[]) {
		const companyId = await insertCompany(t.db, { rateBp: 1000 });
		const company = await callerAs(t.db, await insertUser(t.db, 'company', { companyId }));
		const { deviceId } = await company.devices.register({ name: 'Касса 1' });
		const answers = await company.payments.sync({
			deviceId,
			operations: bills.map((amountKopecks) => ({
				id: uuidv7(),
				customerId,
				amountKopecks,
				occurredAt: new Date().toISOString()
			}))
		});
		expect(answers.every((a) => a.outcome === 'accepted')).toBe(true);
		return { companyId, company, deviceId };
	}

	it('the customer downloads profile, consents and operations as JSON', async () => {
		const { customerId, api, values } = await signedUp({ consentMarketing: true });
		await companyThatServed(customerId, [10_000, 5_050]);
		const data = await api.privacy.exportMine();
		expect(data).toMatchObject({
			format: 'kopek-customer-data/1',
			profile: {
				customerId,
				name: 'Смирнова Анна',
				phone: expect.stringMatching(/^\+7912000\d{4}$/),
				email: values.email
			},
			balanceKopecks: 1505
		});
		expect(data!.consents.map((c) => c.purpose)).toEqual(['personal_data', 'marketing']);
		expect(data!.operations.map((o) => [o.kind, o.amountKopecks, o.cashbackKopecks])).toEqual([
			['payment', 10_000, 1000],
			['payment', 5_050, 505]
		]);
		// JSON survives the round trip the download makes
		expect(JSON.parse(JSON.stringify(data)).operations).toHaveLength(2);
	});

	it('erasure needs the password and the confirmation', async () => {
		const { api } = await signedUp();
		expect(await api.privacy.eraseMine({ password: 'wrong password', confirmed: true })).toEqual({
			ok: false,
			error: 'wrong_password'
		});
		expect(
			await api.privacy.eraseMine({ password: 'мой пароль для кэшбэка', confirmed: false })
		).toEqual({ ok: false, error: 'not_confirmed' });
		expect((await api.privacy.exportMine())?.profile.name).toBe('Смирнова Анна');
	});

	it('erases the login and personal data, keeps the operations anonymised, forfeits the balance and logs it', async () => {
		const { customerId, user, api, values } = await signedUp({ consentMarketing: true });
		const { companyId, company, deviceId } = await companyThatServed(customerId, [20_000, 3_000]);
		const session = await logIn(t.db, {
			email: values.email as string,
			password: 'мой пароль для кэшбэка',
			ip: '127.0.0.1'
		});
		if (!session.ok) throw new Error('login failed');
		expect((await api.privacy.erasurePreview()).balanceKopecks).toBe(2300);

		expect(
			await api.privacy.eraseMine({ password: 'мой пароль для кэшбэка', confirmed: true })
		).toEqual({ ok: true, forfeitedKopecks: 2300 });

		// the login is gone: no account, no session, no way in
		expect(await t.db.selectFrom('users').select('id').where('id', '=', user.id).execute()).toEqual(
			[]
		);
		expect(await validateSessionToken(t.db, session.token)).toBeNull();
		expect(
			(
				await logIn(t.db, {
					email: values.email as string,
					password: 'мой пароль для кэшбэка',
					ip: '127.0.0.1'
				})
			).ok
		).toBe(false);
		// the person is gone from the customer row, the ID stays for the books
		const row = await t.db
			.selectFrom('customers')
			.selectAll()
			.where('id', '=', customerId)
			.executeTakeFirstOrThrow();
		expect(row).toMatchObject({ name: 'Клиент удалён', phone: null });
		expect(row.erased_at).toBeInstanceOf(Date);
		// consents: withdrawn, without address and browser; purpose, version and time stay
		const consents = await consentsOf(customerId);
		expect(consents).toHaveLength(2);
		for (const c of consents) {
			expect(c).toMatchObject({ ip: null, user_agent: null, user_id: null });
			expect(c.withdrawn_at).toBeInstanceOf(Date);
			expect(c.text_hash).toMatch(/^[0-9a-f]{64}$/);
		}
		// the company's books keep both operations, with the customer anonymised
		const list = await company.companies.listOperations({ period: { kind: 'day' } });
		expect(list.rows.map((r) => [r.customerId, r.customerName, r.amountKopecks])).toEqual([
			[customerId, 'Клиент удалён', 3_000],
			[customerId, 'Клиент удалён', 20_000]
		]);
		expect(list.totals).toMatchObject({
			payments: 2,
			amountKopecks: 23_000,
			cashbackKopecks: 2300
		});

		// the erased ID takes no new payment and names nobody at the counter
		const late = await company.payments.sync({
			deviceId,
			operations: [
				{ id: uuidv7(), customerId, amountKopecks: 1_000, occurredAt: new Date().toISOString() }
			]
		});
		expect(late[0]).toMatchObject({ outcome: 'rejected', reason: 'unknown_customer' });
		expect(await company.customers.lookup({ customerId })).toBeNull();
		expect((await company.customers.recent()).map((c) => c.id)).not.toContain(customerId);

		// the operator's audit log, and the customer found by ID shows only what is left
		const operator = await callerAs(t.db, await insertUser(t.db, 'operator'));
		const log = await operator.privacy.erasures();
		expect(log.find((e) => e.customerId === customerId)).toMatchObject({
			forfeitedKopecks: 2300,
			operationsKept: 2,
			consentsWithdrawn: 2
		});
		const found = await operator.privacy.customer({ query: customerId });
		expect(found).toMatchObject({ name: 'Клиент удалён', phone: null, email: null });
		expect(found!.erasedAt).toBeInstanceOf(Date);
		expect(await operator.privacy.customer({ query: values.phone as string })).toBeNull();
		expect(companyId).toBeGreaterThan(0);

		// the phone and e-mail are free again: the person may sign up afresh, with a new card
		const again = await (
			await anonymous()
		).me.signup({ ...form(), phone: values.phone, email: values.email });
		expect(again.ok && again.customerId !== customerId).toBe(true);
	});
});
