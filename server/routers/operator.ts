import { z } from 'zod';
import { userText } from '../../src/lib/domain/text';
import { checkPassword, normalizeEmail, percentToBp } from '../../src/lib/domain';
import { hashPassword } from '../auth/password';
import * as companies from '../repositories/companies';
import * as documents from '../repositories/documents';
import * as licenses from '../repositories/licenses';
import * as rates from '../repositories/rates';
import { addPercentChange, percentChangeInput } from '../services/percent-history';
import { listProbingCompanies } from '../repositories/customer-probes';
import { listPlatformLocks } from '../repositories/otp-codes';
import { createRouter, operatorProcedure } from '../trpc';
import { operatorLimitProcedures } from './operator-limits';
import { operatorRedemptionProcedures } from './operator-redemption';

const companyId = z.number().int().positive();
const partnerId = z.number().int().positive();

/**
 * The operator's cabinet (SPEC C3): the review queue with documents, approval and rejection,
 * cashback rates with their history, partners and their licenses.
 */
export const operatorRouter = createRouter({
	/** Companies waiting for the document check, oldest first, with their documents. */
	reviewQueue: operatorProcedure.query(async ({ ctx }) => {
		const pending = await companies.listCompanies(ctx.db, 'pending');
		return Promise.all(
			pending.map(async (company) => ({
				...company,
				documents: await documents.listDocuments(ctx.db, company.id)
			}))
		);
	}),

	companies: operatorProcedure.query(({ ctx }) => companies.listCompanies(ctx.db)),

	/**
	 * SPEC C16, for the last 24 hours: companies that asked about customer IDs that do not exist
	 * or ran into the lookup limit (sync, redemption, lookup), and customers whose redemption the
	 * platform-wide ceiling of wrong codes locked.
	 */
	customerProbes: operatorProcedure.query(async ({ ctx }) => {
		const since = new Date(Date.now() - 24 * 3600_000);
		const [probing, platformLocks] = await Promise.all([
			listProbingCompanies(ctx.db, since),
			listPlatformLocks(ctx.db, since)
		]);
		return { companies: probing, platformLocks };
	}),

	/** One company: details, documents, rate history. */
	company: operatorProcedure.input(z.object({ companyId })).query(async ({ ctx, input }) => {
		const details = await companies.getDetails(ctx.db, input.companyId);
		if (!details) return null;
		const [docs, history] = await Promise.all([
			documents.listDocuments(ctx.db, input.companyId),
			rates.listRateHistory(ctx.db, input.companyId)
		]);
		return { ...details, documents: docs, rates: history };
	}),

	/**
	 * Approval: the company becomes active and can take payments. It needs at least one uploaded
	 * document to check (`no_documents` otherwise). A company without any rate gets one here
	 * (from its registration on, so no operation is ever without a rate).
	 */
	approve: operatorProcedure
		.input(z.object({ companyId, percent: z.string().max(20).optional() }))
		.mutation(async ({ ctx, input }) => {
			const hasRate = await rates.hasAnyRate(ctx.db, input.companyId);
			let rateBp: number | null = null;
			if (!hasRate) {
				const parsed = percentToBp(input.percent ?? '');
				if (!parsed.ok) return { ok: false as const, fieldErrors: { percent: 'format' } };
				rateBp = parsed.bp;
			}
			return ctx.db.transaction().execute(async (trx) => {
				const approval = await companies.approve(trx, input.companyId);
				if (!approval.ok) return { ok: false as const, fieldErrors: {}, error: approval.error };
				if (rateBp !== null) {
					const from = await companies.getCreatedAt(trx, input.companyId);
					await rates.insertRate(trx, {
						companyId: input.companyId,
						rateBp,
						effectiveFrom: from ?? new Date(),
						createdBy: ctx.user.id
					});
				}
				return { ok: true as const };
			});
		}),

	/** Rejection with a reason the company reads; it may upload again. */
	reject: operatorProcedure
		.input(z.object({ companyId, reason: userText({ max: 1000, multiline: true }) }))
		.mutation(async ({ ctx, input }) => {
			if (input.reason === '') return { ok: false as const, fieldErrors: { reason: 'required' } };
			const done = await companies.reject(ctx.db, input.companyId, input.reason);
			return done
				? { ok: true as const }
				: { ok: false as const, fieldErrors: {}, error: 'not_pending' as const };
		}),

	/**
	 * The operator may correct a company's name (typed at self-registration when the registry
	 * had no answer for its INN).
	 */
	renameCompany: operatorProcedure
		.input(z.object({ companyId, name: userText({ min: 1, max: 200 }) }))
		.mutation(async ({ ctx, input }) => ({
			ok: await companies.rename(ctx.db, input.companyId, input.name)
		})),

	/**
	 * A new cashback rate in percent with up to two decimals, effective from a wall-clock time
	 * in the company's time zone (now when not given). The history keeps every earlier rate.
	 */
	setRate: operatorProcedure.input(percentChangeInput).mutation(async ({ ctx, input }) => {
		const change = await addPercentChange(ctx.db, input, (row) =>
			rates.insertRate(ctx.db, { ...row, rateBp: row.bp, createdBy: ctx.user.id })
		);
		return change.ok
			? { ok: true as const, rateBp: change.bp, effectiveFrom: change.effectiveFrom }
			: change;
	}),

	/** Any company's document with its content (operators check them all). */
	document: operatorProcedure
		.input(z.object({ id: z.uuid() }))
		.query(async ({ ctx, input }) => (await documents.getDocument(ctx.db, input.id)) ?? null),

	partners: operatorProcedure.query(({ ctx }) => licenses.listPartners(ctx.db)),

	/** A partner with the next partner ID and its account (e-mail and password to hand over). */
	createPartner: operatorProcedure
		.input(
			z.object({
				name: userText({ max: 200 }),
				email: userText({ max: 300 }),
				password: z.string().max(1000),
				licenses: z.number().int().min(0).max(100_000).default(0)
			})
		)
		.mutation(async ({ ctx, input }) => {
			const fieldErrors: Record<string, string> = {};
			if (input.name === '') fieldErrors.name = 'required';
			const email = normalizeEmail(input.email);
			if (!email.ok) fieldErrors.email = email.error;
			const policy = checkPassword(input.password, { email: email.ok ? email.email : undefined });
			if (!policy.ok) fieldErrors.password = policy.error;
			if (!email.ok || Object.keys(fieldErrors).length > 0) {
				return { ok: false as const, fieldErrors };
			}
			const passwordHash = await hashPassword(input.password);
			try {
				return await ctx.db.transaction().execute(async (trx) => {
					const created = await licenses.createPartner(trx, {
						name: input.name,
						email: email.email,
						passwordHash
					});
					if (!created.ok) return { ok: false as const, fieldErrors: { email: 'taken' } };
					if (input.licenses > 0) {
						await licenses.grantLicenses(trx, {
							partnerId: created.partnerId,
							count: input.licenses,
							grantedBy: ctx.user.id,
							note: null
						});
					}
					return { ok: true as const, partnerId: created.partnerId };
				});
			} catch (error) {
				if ((error as { code?: string })?.code === '23505') {
					return { ok: false as const, fieldErrors: { email: 'taken' } };
				}
				throw error;
			}
		}),

	/** Adds licenses to a partner's balance, with a ledger row. */
	grantLicenses: operatorProcedure
		.input(
			z.object({
				partnerId,
				count: z.number().int().min(1).max(100_000),
				note: userText({ max: 500 }).optional()
			})
		)
		.mutation(async ({ ctx, input }) => {
			const result = await ctx.db.transaction().execute((trx) =>
				licenses.grantLicenses(trx, {
					partnerId: input.partnerId,
					count: input.count,
					grantedBy: ctx.user.id,
					note: input.note || null
				})
			);
			return result
				? { ok: true as const, left: result.left }
				: { ok: false as const, error: 'not_found' as const };
		}),

	/** A partner's balance and every grant and use of its licenses, newest first. */
	ledger: operatorProcedure.input(z.object({ partnerId })).query(async ({ ctx, input }) => {
		const partner = await licenses.getPartner(ctx.db, input.partnerId);
		if (!partner) return null;
		return { partner, entries: await licenses.listLedger(ctx.db, input.partnerId) };
	}),

	...operatorRedemptionProcedures,
	...operatorLimitProcedures
});
