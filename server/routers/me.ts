import type { Kysely } from 'kysely';
import { cardProgram } from '../services/program-card';
import { z } from 'zod';
import { userText } from '../../src/lib/domain/text';
import { validateCustomerSignup } from '../../src/lib/forms/customer-signup';
import { encodeOtpSecret } from '../../src/lib/domain/otp';
import { hashPassword } from '../auth/password';
import { getSecretKey } from '../crypto/keys';
import type { Database } from '../db/types';
import {
	getCustomer,
	getCustomerBalance,
	insertCustomerAccount,
	insertCustomerWithNewId,
	isCustomerPhoneTaken,
	isLoginTaken,
	listCustomerOperations
} from '../repositories/customer-cards';
import { ensureOtpSecret, listActiveOtpLocks } from '../repositories/otp-codes';
import { recordConsents, userAgentOf, type ConsentOrigin } from '../services/consent-records';
import { takeSignupSlot } from '../services/signup-limits';
import { tooManyRequests, waitTextRu } from '../http/too-many-requests';
import { createRouter, customerProcedure, publicProcedure } from '../trpc';

/**
 * The card's history comes a page at a time (37 rows were an 8 300 px page on a phone): the
 * latest CARD_HISTORY_PAGE, and «Показать ещё» asks for a page more, up to CARD_HISTORY_MAX.
 * The device keeps what it was last shown for offline use.
 */
export const CARD_HISTORY_PAGE = 20;
export const CARD_HISTORY_MAX = 1000;

/**
 * Sign-up fields, checked by src/lib/forms/customer-signup.ts — the rules the browser applies
 * as they are typed. Field errors come back as catalogue keys (catalogue/me.ts).
 */
export const signupInput = z
	.object({
		name: userText({ max: 1000 }).default(''),
		phone: userText({ max: 100 }).default(''),
		email: userText({ max: 1000 }).default(''),
		password: z.string().max(1024, 'me.error.password.too_long').default(''),
		passwordRepeat: z.string().max(1024).optional(),
		consentPersonalData: z.boolean().default(false),
		consentMarketing: z.boolean().default(false),
		locale: z.enum(['ru', 'en']).optional()
	})
	.transform((form, ctx) => {
		const result = validateCustomerSignup(form);
		if (result.ok) return { ...result.value, locale: form.locale };
		for (const [field, message] of Object.entries(result.fieldErrors)) {
			ctx.addIssue({ code: 'custom', path: [field], message });
		}
		return z.NEVER;
	});

export type SignupError = 'phone_taken' | 'email_taken';

class SignupRefused extends Error {
	constructor(readonly reason: SignupError) {
		super(reason);
	}
}

/** A customer with a fresh ID and a login, in one transaction; a taken phone or e-mail is a value. */
async function signUpCustomer(
	db: Kysely<Database>,
	input: z.output<typeof signupInput>,
	origin: ConsentOrigin
): Promise<{ ok: true; customerId: string; userId: string } | { ok: false; error: SignupError }> {
	const passwordHash = await hashPassword(input.password);
	try {
		return await db.transaction().execute(async (trx) => {
			if (await isCustomerPhoneTaken(trx, input.phone)) throw new SignupRefused('phone_taken');
			if (await isLoginTaken(trx, input.email)) throw new SignupRefused('email_taken');
			const customerId = await insertCustomerWithNewId(trx, {
				name: input.name,
				phone: input.phone
			});
			const user = await insertCustomerAccount(trx, {
				email: input.email,
				passwordHash,
				customerId,
				locale: input.locale
			});
			await recordConsents(trx, {
				forms: input.consentMarketing
					? ['signupPersonalData', 'signupMarketing']
					: ['signupPersonalData'],
				subject: { customerId },
				userId: user.id,
				locale: input.locale ?? 'ru',
				origin
			});
			return { ok: true as const, customerId, userId: user.id };
		});
	} catch (error) {
		if (error instanceof SignupRefused) return { ok: false, error: error.reason };
		// Two sign-ups racing past the checks: the unique indexes decide, and say which.
		const e = error as {
			code?: string;
			constraint_name?: string;
			constraint?: string;
			message?: string;
		};
		if (e?.code === '23505') {
			const constraint = e.constraint_name ?? e.constraint ?? e.message ?? '';
			return { ok: false, error: constraint.includes('phone') ? 'phone_taken' : 'email_taken' };
		}
		throw error;
	}
}

/** The customer's own card: sign-up, ID, QR, balance, history. */
export const meRouter = createRouter({
	/**
	 * Public sign-up: name, phone (unique), e-mail (the login), password and the consent to the
	 * processing of personal data (the marketing consent is optional); each consent given is
	 * recorded with the account. Returns the new customer ID; the caller (the /signup page)
	 * opens the session. Past KOPEK_SIGNUPS_PER_HOUR answers to one address (new card or
	 * «занят» alike), TOO_MANY_REQUESTS.
	 */
	signup: publicProcedure.input(signupInput).mutation(async ({ ctx, input }) => {
		const slot = await takeSignupSlot(ctx.db, 'customer_signup', ctx.ip);
		if (!slot.ok) {
			throw tooManyRequests(
				`Слишком много регистраций с вашего адреса. Повторите через ${waitTextRu(slot.retryAfterSeconds)}.`,
				slot.retryAfterSeconds
			);
		}
		return signUpCustomer(ctx.db, input, { ip: ctx.ip, userAgent: userAgentOf(ctx.request) });
	}),

	/**
	 * Everything "My card" shows: ID, name, balance, the latest operations (`shown` of them,
	 * a page by default), and where paying with cashback is locked now.
	 */
	card: customerProcedure
		.input(z.object({ shown: z.number().int().min(1).max(CARD_HISTORY_MAX).optional() }).optional())
		.query(async ({ ctx, input }) => {
			const customer = await getCustomer(ctx.db, ctx.customerId);
			if (!customer) return null;
			const [balance, operations, otpSecret, redemptionLocks, program] = await Promise.all([
				getCustomerBalance(ctx.db, ctx.customerId),
				listCustomerOperations(ctx.db, ctx.customerId, input?.shown ?? CARD_HISTORY_PAGE),
				ensureOtpSecret(ctx.db, getSecretKey(), ctx.customerId),
				listActiveOtpLocks(ctx.db, ctx.customerId, new Date()),
				cardProgram(ctx.db, ctx.customerId)
			]);
			return {
				customer,
				...balance,
				operations,
				/** The customer's TOTP secret (base32): the phone makes the redemption codes from it. */
				otpSecret: encodeOtpSecret(otpSecret),
				/** Where paying with cashback is locked now (wrong codes there), until when and why. */
				redemptionLocks,
				/** Pending cashback and a balance about to expire (issue 22). */
				program,
				historyLimit: CARD_HISTORY_PAGE,
				loadedAt: new Date()
			};
		})
});
