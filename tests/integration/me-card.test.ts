import { TRPCError } from '@trpc/server';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../server/auth/password';
import { contentHash } from '../../server/repositories/operations';
import {
	customerIdLengthForAttempt,
	insertCustomerWithNewId
} from '../../server/repositories/customer-cards';
import { computeCashback } from '../../src/lib/domain/money';
import { isValidCustomerId, luhnCheckDigit } from '../../src/lib/domain/customer-id';
import { uuidv7 } from '../../src/lib/domain/uuid';
import { rebuildBalances } from '../../server/repositories/balances';
import { useTestDatabase } from './support/db';
import { callerAs, insertCompany, insertCustomer, insertUser } from './support/fixtures';

const t = useTestDatabase({ truncate: true });

const signup = (overrides: Record<string, string> = {}) => ({
	name: 'Смирнова Анна',
	phone: '912-345-6789',
	email: 'Anna@Example.test',
	password: 'мой пароль для кэшбэка',
	consentPersonalData: true,
	...overrides
});

async function rowCounts() {
	const count = async (table: 'customers' | 'users') =>
		Number(
			(
				await t.db
					.selectFrom(table)
					.select((s) => s.fn.countAll<number>().as('n'))
					.executeTakeFirstOrThrow()
			).n
		);
	return { customers: await count('customers'), users: await count('users') };
}

describe('me.signup', () => {
	it('creates a customer with a Luhn-valid six-digit ID and a customer login', async () => {
		const anonymous = await callerAs(t.db, null);
		const outcome = await anonymous.me.signup(signup());
		if (!outcome.ok) throw new Error(outcome.error);
		expect(outcome.customerId).toMatch(/^[1-9]\d{5}$/);
		expect(isValidCustomerId(outcome.customerId)).toBe(true);

		const customer = await t.db
			.selectFrom('customers')
			.selectAll()
			.where('id', '=', outcome.customerId)
			.executeTakeFirstOrThrow();
		expect(customer).toMatchObject({ name: 'Смирнова Анна', phone: '+79123456789' });
		const user = await t.db
			.selectFrom('users')
			.selectAll()
			.where('id', '=', outcome.userId)
			.executeTakeFirstOrThrow();
		expect(user).toMatchObject({
			email: 'anna@example.test',
			role: 'customer',
			customer_id: outcome.customerId,
			company_id: null,
			partner_id: null
		});
		expect(await verifyPassword(user.password_hash, 'мой пароль для кэшбэка')).toBe(true);
	});

	it('gives every customer a distinct valid ID', async () => {
		const anonymous = await callerAs(t.db, null);
		const ids = new Set<string>();
		for (let i = 0; i < 5; i++) {
			const outcome = await anonymous.me.signup(
				signup({ phone: `912-000-000${i}`, email: `c${i}@example.test` })
			);
			if (!outcome.ok) throw new Error(outcome.error);
			expect(isValidCustomerId(outcome.customerId)).toBe(true);
			ids.add(outcome.customerId);
		}
		expect(ids.size).toBe(5);
	});

	it('refuses a phone that is already a customer’s, however it is typed, and creates nothing', async () => {
		const anonymous = await callerAs(t.db, null);
		expect((await anonymous.me.signup(signup())).ok).toBe(true);
		const before = await rowCounts();
		const outcome = await anonymous.me.signup(
			signup({ phone: '+7 (912) 345-67-89', email: 'other@example.test' })
		);
		expect(outcome).toEqual({ ok: false, error: 'phone_taken' });
		expect(await rowCounts()).toEqual(before);
	});

	it('refuses an e-mail that is already a login and creates nothing', async () => {
		await insertUser(t.db, 'operator', { email: 'anna@example.test' });
		const before = await rowCounts();
		const outcome = await (await callerAs(t.db, null)).me.signup(signup());
		expect(outcome).toEqual({ ok: false, error: 'email_taken' });
		expect(await rowCounts()).toEqual(before);
	});

	it('two sign-ups with one phone at once: exactly one customer', async () => {
		const anonymous = await callerAs(t.db, null);
		const outcomes = await Promise.all(
			['a', 'b', 'c'].map((x) => anonymous.me.signup(signup({ email: `${x}@example.test` })))
		);
		expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
		expect(outcomes.filter((o) => !o.ok)).toEqual([
			{ ok: false, error: 'phone_taken' },
			{ ok: false, error: 'phone_taken' }
		]);
		expect(await rowCounts()).toEqual({ customers: 1, users: 1 });
	});

	it('refuses bad fields with catalogue keys and creates nothing', async () => {
		const error = (await (
			await callerAs(t.db, null)
		).me
			.signup(signup({ name: ' ', phone: '123', email: 'nope', password: 'short' }))
			.catch((e: unknown) => e)) as TRPCError;
		expect(error).toBeInstanceOf(TRPCError);
		expect(error.code).toBe('BAD_REQUEST');
		const issues = (error.cause as unknown as { issues: { path: string[]; message: string }[] })
			.issues;
		expect(Object.fromEntries(issues.map((i) => [i.path[0], i.message]))).toEqual({
			name: 'me.error.name.required',
			phone: 'me.error.phone.format',
			email: 'me.error.email.format',
			password: 'me.error.password.too_short'
		});
		const weak = (await (
			await callerAs(t.db, null)
		).me
			.signup(signup({ password: 'password' }))
			.catch((e: unknown) => e)) as TRPCError;
		const weakIssues = (weak.cause as unknown as { issues: { path: string[]; message: string }[] })
			.issues;
		expect(weakIssues.map((i) => [i.path[0], i.message])).toEqual([
			['password', 'me.error.password.common']
		]);
		const mine = (await (
			await callerAs(t.db, null)
		).me
			.signup(signup({ password: 'ANNA@example.test 2026' }))
			.catch((e: unknown) => e)) as TRPCError;
		expect((mine.cause as unknown as { issues: { message: string }[] }).issues[0]?.message).toBe(
			'me.error.password.contains_email'
		);
		expect(await rowCounts()).toEqual({ customers: 0, users: 0 });
	});
});

describe('customer IDs on collision', () => {
	it('draws again when an ID is taken, and grows a digit when six keep colliding', async () => {
		await insertCustomer(t.db, '123455');
		const seven = `123456${luhnCheckDigit('123456')}`;
		const drawn: number[] = [];
		const id = await insertCustomerWithNewId(
			t.db,
			{ name: 'Новый', phone: '+79120000009' },
			(digits) => {
				drawn.push(digits);
				return drawn.length <= 9 ? '123455' : digits === 7 ? seven : '999999';
			}
		);
		expect(isValidCustomerId(seven)).toBe(true);
		expect(id).toBe(seven);
		expect(drawn).toEqual([6, 6, 6, 6, 6, 6, 6, 6, 7, 7]);
		expect(customerIdLengthForAttempt(0)).toBe(6);
		expect(customerIdLengthForAttempt(1000)).toBe(12);
	});
});

describe('me.card', () => {
	async function pay(
		companyId: number,
		customerId: string,
		amountKopecks: number,
		rateBp: number,
		daysAgo: number
	) {
		const occurredAt = new Date(Date.now() - daysAgo * 86_400_000);
		const id = uuidv7();
		await t.db
			.insertInto('operations')
			.values({
				id,
				company_id: companyId,
				customer_id: customerId,
				amount_kopecks: amountKopecks,
				rate_bp: rateBp,
				cashback_kopecks: computeCashback(amountKopecks, rateBp),
				occurred_at: occurredAt,
				content_hash: contentHash({
					companyId,
					deviceId: '00000000-0000-0000-0000-000000000000',
					customerId,
					amountKopecks,
					occurredAt
				})
			})
			.execute();
		// Straight into the ledger: the materialised balance follows it.
		await rebuildBalances(t.db);
		return id;
	}

	async function refund(paymentId: string) {
		const payment = await t.db
			.selectFrom('operations')
			.selectAll()
			.where('id', '=', paymentId)
			.executeTakeFirstOrThrow();
		await t.db
			.insertInto('operations')
			.values({
				id: sql<string>`operation_refund_id(${paymentId}::uuid)`,
				kind: 'refund',
				company_id: payment.company_id,
				customer_id: payment.customer_id,
				amount_kopecks: -payment.amount_kopecks,
				rate_bp: payment.rate_bp,
				cashback_kopecks: -payment.cashback_kopecks,
				occurred_at: new Date(),
				content_hash: `refund-${paymentId}`,
				reverses_id: paymentId,
				reason: 'возврат товара'
			} as never)
			.execute();
		await rebuildBalances(t.db);
	}

	it('a new customer has a zero balance and no history', async () => {
		const outcome = await (await callerAs(t.db, null)).me.signup(signup());
		if (!outcome.ok) throw new Error(outcome.error);
		const me = await insertUser(t.db, 'customer', { customerId: outcome.customerId });
		const card = await (await callerAs(t.db, me)).me.card();
		expect(card).toMatchObject({
			customer: { id: outcome.customerId, name: 'Смирнова Анна', phone: '+79123456789' },
			balanceKopecks: 0,
			operationCount: 0,
			paymentCount: 0,
			operations: []
		});
	});

	it('the balance sums the cashback of payments minus refunds, and the history names the company', async () => {
		const albixe = await insertCompany(t.db, { name: 'Albixe', rateBp: 1000 });
		const lavka = await insertCompany(t.db, {
			name: 'Лавка',
			rateBp: 550,
			timeZone: 'Asia/Vladivostok'
		});
		await insertCustomer(t.db, '123455', 'Иванов Иван');
		await insertCustomer(t.db, '765438', 'Петрова Мария');
		await pay(albixe, '123455', 123_45, 1000, 3); // 12,35 (half up from 12,345)
		const refunded = await pay(lavka, '123455', 1000_00, 550, 2); // 55,00
		await pay(lavka, '123455', 99, 550, 1); // 0,05 (5,445 → 5)
		await pay(albixe, '765438', 500_00, 1000, 1); // someone else's
		await refund(refunded);

		const me = await insertUser(t.db, 'customer', { customerId: '123455' });
		const card = await (await callerAs(t.db, me)).me.card();
		if (!card) throw new Error('no card');
		expect(card.balanceKopecks).toBe(1235 + 5500 + 5 - 5500);
		expect(card.operationCount).toBe(4);
		expect(card.paymentCount).toBe(3);
		expect(
			card.operations.map((o) => [o.kind, o.companyName, o.amountKopecks, o.cashbackKopecks])
		).toEqual([
			['refund', 'Лавка', -100000, -5500],
			['payment', 'Лавка', 99, 5],
			['payment', 'Лавка', 100000, 5500],
			['payment', 'Albixe', 12345, 1235]
		]);
		expect(card.operations[1]!.timeZone).toBe('Asia/Vladivostok');
		expect(card.operations[0]!.occurredAt).toBeInstanceOf(Date);
	});

	// Issue 19 item 11: 37 operations made an 8 300 px page on a phone.
	it('carries the history a page of 20 at a time, and more when asked', async () => {
		const company = await insertCompany(t.db, { rateBp: 1000 });
		await insertCustomer(t.db, '555557', 'Сидоров Пётр');
		for (let i = 0; i < 25; i++) await pay(company, '555557', 100_00 + i, 1000, i + 1);
		const api = await callerAs(t.db, await insertUser(t.db, 'customer', { customerId: '555557' }));
		const first = await api.me.card();
		expect(first!.operationCount).toBe(25);
		expect(first!.operations).toHaveLength(20);
		expect(first!.operations[0]!.amountKopecks).toBe(100_00); // the newest first
		const more = await api.me.card({ shown: 40 });
		expect(more!.operations).toHaveLength(25);
		expect(more!.operations.slice(0, 20)).toEqual(first!.operations);
	});

	it('a customer sees only their own card', async () => {
		await insertCustomer(t.db, '123455', 'Иванов Иван');
		await insertCustomer(t.db, '765438', 'Петрова Мария');
		const company = await insertCompany(t.db, { rateBp: 1000 });
		await pay(company, '765438', 100_00, 1000, 1);
		const ivanov = await insertUser(t.db, 'customer', { customerId: '123455' });
		const card = await (await callerAs(t.db, ivanov)).me.card();
		expect(card?.customer.name).toBe('Иванов Иван');
		expect(card?.balanceKopecks).toBe(0);
		expect(card?.operations).toEqual([]);
	});
});
