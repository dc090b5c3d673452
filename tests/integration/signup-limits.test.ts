import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { getConfig } from '../../server/config';
import { takeSignupSlot } from '../../server/services/signup-limits';
import { useTestDatabase } from './support/db';
import { callerAs, insertPartner } from './support/fixtures';
import { uniqueInn } from './support/inn';

/**
 * Issue 7, deliverable 5: customer sign-ups and company self-registrations per address, and
 * the «занят» answers held to the same pace.
 */
const t = useTestDatabase({ truncate: true });

const PER_HOUR = getConfig().KOPEK_SIGNUPS_PER_HOUR;

const signup = (i: number, over: Record<string, string> = {}) => ({
	name: 'Смирнова Анна',
	phone: `912-000-${String(1000 + i).slice(-4)}`,
	email: `anna-${i}@example.test`,
	password: 'мой пароль для кэшбэка',
	consentPersonalData: true,
	...over
});

const registration = (i: number, over: Record<string, string> = {}) => ({
	inn: uniqueInn(),
	companyName: 'ООО «Лавка»',
	email: `shop-${i}@example.test`,
	phone: '911-111-1111',
	password: 'Надёжный пароль 2026',
	passwordRepeat: 'Надёжный пароль 2026',
	inviterId: '',
	consentTerms: true,
	consentPrivacy: true,
	...over
});

async function refusalOf(call: Promise<unknown>): Promise<TRPCError> {
	try {
		await call;
	} catch (error) {
		if (error instanceof TRPCError) return error;
		throw error;
	}
	throw new Error('expected a refusal, got an answer');
}

describe('sign-up limits per address', () => {
	it('answers 10 sign-ups an hour from one address — new cards and «занят» alike — then TOO_MANY_REQUESTS', async () => {
		expect(PER_HOUR).toBe(10);
		const api = await callerAs(t.db, null, '198.51.100.9');
		const first = await api.me.signup(signup(0));
		expect(first.ok).toBe(true);
		const answers = [];
		// probing who has an account: the phone of the first, new e-mails
		for (let i = 1; i < PER_HOUR; i++) {
			answers.push(await api.me.signup(signup(i, { phone: '912-000-1000' })));
		}
		expect(answers).toEqual(Array(PER_HOUR - 1).fill({ ok: false, error: 'phone_taken' }));

		const refused = await refusalOf(api.me.signup(signup(99, { phone: '912-000-1000' })));
		expect(refused.code).toBe('TOO_MANY_REQUESTS');
		expect(refused.message).toMatch(
			/^Слишком много регистраций с вашего адреса\. Повторите через \d+ мин\.$/
		);
		// a fresh sign-up from that address is refused too, and nothing is created
		await refusalOf(api.me.signup(signup(100)));
		const customers = await t.db.selectFrom('customers').select('id').execute();
		expect(customers).toHaveLength(1);

		// another address signs up as usual
		const other = await callerAs(t.db, null, '203.0.113.40');
		expect((await other.me.signup(signup(101))).ok).toBe(true);
	});

	it('input refused by validation spends nothing', async () => {
		const api = await callerAs(t.db, null, '198.51.100.10');
		for (let i = 0; i < PER_HOUR + 2; i++) {
			await refusalOf(api.me.signup(signup(i, { password: 'short' })));
		}
		expect((await api.me.signup(signup(1))).ok).toBe(true);
	});

	it('company self-registrations: 10 an hour per address, «занят» included', async () => {
		await insertPartner(t.db, 1, 50);
		const api = await callerAs(t.db, null, '198.51.100.11');
		expect((await api.companies.register(registration(0))).ok).toBe(true);
		for (let i = 1; i < PER_HOUR; i++) {
			expect(await api.companies.register(registration(0))).toEqual({
				ok: false,
				fieldErrors: { email: 'taken' }
			});
		}
		const refused = await refusalOf(api.companies.register(registration(1)));
		expect(refused.code).toBe('TOO_MANY_REQUESTS');
		expect(refused.message).toMatch(/^Слишком много регистраций с вашего адреса/);
		// customer sign-ups from the same address have their own count
		expect((await api.me.signup(signup(0))).ok).toBe(true);
	});

	it('the hour slides: a slot frees when the oldest answer is an hour old (clock injected)', async () => {
		const start = new Date('2026-12-01T09:00:00Z');
		const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
		for (let i = 0; i < PER_HOUR; i++) {
			expect(await takeSignupSlot(t.db, 'customer_signup', '192.0.2.9', at(i))).toEqual({
				ok: true
			});
		}
		expect(await takeSignupSlot(t.db, 'customer_signup', '192.0.2.9', at(30))).toEqual({
			ok: false,
			retryAfterSeconds: 30 * 60
		});
		expect(await takeSignupSlot(t.db, 'customer_signup', '192.0.2.9', at(60))).toEqual({
			ok: true
		});
		expect((await takeSignupSlot(t.db, 'customer_signup', '192.0.2.9', at(60.5))).ok).toBe(false);
	});
});
