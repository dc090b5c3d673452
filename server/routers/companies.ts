import { z } from 'zod';
import { userText } from '../../src/lib/domain/text';
import { checkPassword, normalizeEmail, normalizeRuPhone } from '../../src/lib/domain';
import { validateRegistration } from '../../src/lib/forms/registration';
import { changePassword } from '../auth/login';
import { verifyPassword } from '../auth/password';
import * as companies from '../repositories/companies';
import { rezoneSummaries } from '../repositories/summaries-ledger';
import * as documents from '../repositories/documents';
import { userAgentOf } from '../services/consent-records';
import { registerCompany } from '../services/registration';
import { lookUpInnForVisitor, registrationDetails } from '../services/registry-lookup';
import { takeSignupSlot } from '../services/signup-limits';
import { tooManyRequests, waitTextRu } from '../http/too-many-requests';
import { companyProcedure, createRouter, publicProcedure } from '../trpc';
import { companyOperationProcedures } from './company-operations';

const text = (max: number) => userText({ max });
/** Passwords are taken as typed: never normalised, trimmed or stored as text. */
const secret = (max: number) => z.string().max(max);

const registrationInput = z.object({
	inn: text(20),
	companyName: text(300),
	email: text(300),
	phone: text(50),
	password: secret(1000),
	passwordRepeat: secret(1000),
	inviterId: text(20),
	consentTerms: z.boolean(),
	consentPrivacy: z.boolean(),
	/** The language the form was shown in: the consents' recorded wording follows it. */
	locale: z.enum(['ru', 'en']).optional()
});

const profileInput = z.object({
	name: userText({ min: 1, max: 200 }),
	city: userText({ max: 100 }),
	country: userText({ min: 1, max: 100 }),
	phone: text(50),
	timeZone: z.enum(companies.COMPANY_TIME_ZONES)
});

type DocumentError = 'not_under_review' | 'too_large' | 'empty' | 'unsupported_type' | 'too_many';

/**
 * The company's own cabinet: self-registration (public), profile, documents for the review.
 * Every company procedure reads and writes only `ctx.companyId`'s rows.
 */
export const companiesRouter = createRouter({
	/**
	 * Self-registration (seed 000): a pending company, its admin account and one license of the
	 * inviter, in one transaction. Refusals are values with a code per field; past
	 * KOPEK_REGISTRATIONS_PER_HOUR answers to one address («занят» too), TOO_MANY_REQUESTS.
	 */
	register: publicProcedure.input(registrationInput).mutation(async ({ ctx, input }) => {
		const checked = validateRegistration(input);
		if (!checked.ok) return { ok: false as const, fieldErrors: checked.fieldErrors };
		const slot = await takeSignupSlot(ctx.db, 'company_registration', ctx.ip);
		if (!slot.ok) {
			throw tooManyRequests(
				`Слишком много регистраций с вашего адреса. Повторите через ${waitTextRu(slot.retryAfterSeconds)}.`,
				slot.retryAfterSeconds
			);
		}
		// The registry's name, director and address win over what was typed (as for partners).
		const company = await registrationDetails(checked.value.inn, checked.value.companyName);
		if (!company) {
			return { ok: false as const, fieldErrors: { companyName: 'required' } };
		}
		const outcome = await registerCompany(ctx.db, {
			email: checked.value.email,
			phone: checked.value.phone,
			password: checked.value.password,
			inviterPartnerId: checked.value.inviterPartnerId,
			company,
			consents: {
				forms: ['registerTerms', 'registerPrivacy'],
				locale: input.locale ?? 'ru',
				origin: { ip: ctx.ip, userAgent: userAgentOf(ctx.request) }
			}
		});
		if (outcome.ok) {
			return { ok: true as const, companyId: outcome.companyId, userId: outcome.userId };
		}
		switch (outcome.error) {
			case 'inviter_not_found':
				return { ok: false as const, fieldErrors: { inviterId: 'not_found' } };
			case 'email_taken':
				return { ok: false as const, fieldErrors: { email: 'taken' } };
			case 'inn_taken':
				return { ok: false as const, fieldErrors: { inn: 'taken' } };
			case 'no_licenses':
				return { ok: false as const, fieldErrors: {}, error: 'no_licenses' as const };
		}
	}),

	/**
	 * /register: the state registry's details for the INN being typed (name, director,
	 * address), as the partner's form has them. Public, so limited per address
	 * (services/registry-lookup.ts); says nothing about Kopek's own companies.
	 */
	lookupInn: publicProcedure
		.input(z.object({ inn: z.string().max(20) }))
		.query(({ ctx, input }) => lookUpInnForVisitor(ctx.db, ctx.ip, input.inn)),

	/** "Мой профиль": the company's details, its current rate (read-only) and its status. */
	profile: companyProcedure.query(async ({ ctx }) => {
		const profile = await companies.getProfile(ctx.db, ctx.companyId);
		if (!profile) throw new Error(`company ${ctx.companyId} of a signed-in user is missing`);
		return { ...profile, timeZones: companies.COMPANY_TIME_ZONES };
	}),

	updateProfile: companyProcedure.input(profileInput).mutation(async ({ ctx, input }) => {
		const phone = normalizeRuPhone(input.phone);
		if (!phone.ok) return { ok: false as const, fieldErrors: { phone: phone.error } };
		await ctx.db.transaction().execute(async (trx) => {
			const before = await companies.getTimeZone(trx, ctx.companyId);
			await companies.updateProfile(trx, ctx.companyId, {
				name: input.name,
				city: input.city === '' ? null : input.city,
				country: input.country,
				phone: phone.e164,
				timeZone: input.timeZone
			});
			// Local days move with the zone: the day summaries are rebuilt from the ledger.
			if (before !== input.timeZone) await rezoneSummaries(trx, ctx.companyId);
		});
		return { ok: true as const };
	}),

	/** A new login e-mail, confirmed by the password (a stolen open session cannot do it). */
	changeEmail: companyProcedure
		.input(z.object({ email: text(300), password: secret(1000) }))
		.mutation(async ({ ctx, input }) => {
			const email = normalizeEmail(input.email);
			if (!email.ok) return { ok: false as const, fieldErrors: { email: email.error } };
			const passwordHash = await companies.getPasswordHash(ctx.db, ctx.user.id);
			if (!passwordHash || !(await verifyPassword(passwordHash, input.password))) {
				return { ok: false as const, fieldErrors: { password: 'wrong' } };
			}
			const mine = { userId: ctx.user.id, companyId: ctx.companyId };
			if (await companies.isEmailTaken(ctx.db, email.email, mine)) {
				return { ok: false as const, fieldErrors: { email: 'taken' } };
			}
			try {
				await ctx.db
					.transaction()
					.execute((trx) => companies.updateEmail(trx, { ...mine, email: email.email }));
			} catch (error) {
				// Another account took the address between the check and the update.
				if ((error as { code?: string })?.code === '23505') {
					return { ok: false as const, fieldErrors: { email: 'taken' } };
				}
				throw error;
			}
			return { ok: true as const, email: email.email };
		}),

	/** Asks for the current password; ends every other session of the account. */
	changePassword: companyProcedure
		.input(
			z.object({
				currentPassword: secret(1000),
				newPassword: secret(1000),
				newPasswordRepeat: secret(1000)
			})
		)
		.mutation(async ({ ctx, input }) => {
			const policy = checkPassword(input.newPassword, { email: ctx.user.email });
			if (!policy.ok) return { ok: false as const, fieldErrors: { newPassword: policy.error } };
			if (input.newPasswordRepeat !== input.newPassword) {
				return { ok: false as const, fieldErrors: { newPasswordRepeat: 'mismatch' } };
			}
			const outcome = await changePassword(ctx.db, {
				userId: ctx.user.id,
				currentSessionId: ctx.session.id,
				currentPassword: input.currentPassword,
				newPassword: input.newPassword
			});
			if (!outcome.ok) return { ok: false as const, fieldErrors: { currentPassword: 'wrong' } };
			return { ok: true as const };
		}),

	/** Status of the review, the operator's reason and the uploaded documents. */
	reviewStatus: companyProcedure.query(async ({ ctx }) => {
		const status = await companies.getStatus(ctx.db, ctx.companyId);
		if (!status) throw new Error(`company ${ctx.companyId} of a signed-in user is missing`);
		return { ...status, documents: await documents.listDocuments(ctx.db, ctx.companyId) };
	}),

	/**
	 * A document for the review (PDF, JPEG or PNG, at most 10 MB), typed from its content.
	 * Only while under review (pending or rejected); a rejected company goes back to the queue.
	 */
	uploadDocument: companyProcedure
		.input(
			z.object({
				fileName: userText({ max: 1000 }),
				content: z.instanceof(Uint8Array)
			})
		)
		.mutation(async ({ ctx, input }) => {
			const refuse = (error: DocumentError) => ({ ok: false as const, error });
			if (input.content.byteLength === 0) return refuse('empty');
			if (input.content.byteLength > documents.MAX_DOCUMENT_BYTES) return refuse('too_large');
			const type = documents.detectDocumentType(input.content);
			if (!type) return refuse('unsupported_type');
			const status = await companies.getStatus(ctx.db, ctx.companyId);
			if (status?.status === 'active') return refuse('not_under_review');
			if (
				(await documents.countDocuments(ctx.db, ctx.companyId)) >=
				documents.MAX_DOCUMENTS_PER_COMPANY
			) {
				return refuse('too_many');
			}
			const stored = await ctx.db.transaction().execute(async (trx) => {
				const row = await documents.insertDocument(trx, {
					companyId: ctx.companyId,
					fileName: documents.safeDocumentName(input.fileName, type),
					contentType: type,
					content: input.content
				});
				await companies.resubmit(trx, ctx.companyId);
				return row;
			});
			return { ok: true as const, document: { ...stored, contentType: type } };
		}),

	/** Removes a wrong upload while the review is still open. */
	deleteDocument: companyProcedure
		.input(z.object({ id: z.uuid() }))
		.mutation(async ({ ctx, input }) => {
			// The company row is locked like approval locks it: an approval never counts a document
			// that is being deleted.
			return ctx.db.transaction().execute(async (trx) => {
				if ((await companies.lockStatus(trx, ctx.companyId)) === 'active')
					return { ok: false as const, error: 'not_under_review' as const };
				const deleted = await documents.deleteDocument(trx, input.id, ctx.companyId);
				return deleted
					? { ok: true as const }
					: { ok: false as const, error: 'not_found' as const };
			});
		}),

	/** One of the company's own documents with its content (for the download endpoint). */
	document: companyProcedure.input(z.object({ id: z.uuid() })).query(async ({ ctx, input }) => {
		return (await documents.getDocument(ctx.db, input.id, ctx.companyId)) ?? null;
	}),

	...companyOperationProcedures
});
