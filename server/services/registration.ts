import { recordEvent } from '../repositories/webhook-outbox';
import type { Kysely } from 'kysely';
import { hashPassword } from '../auth/password';
import type { Database, NewCompany } from '../db/types';
import type { Locale } from '../../src/lib/i18n';
import { consumeLicense } from '../repositories/licenses';
import { recordConsents, type ConsentForm, type ConsentOrigin } from './consent-records';

export type RegistrationError = 'inviter_not_found' | 'no_licenses' | 'email_taken' | 'inn_taken';

export interface CompanyRegistration {
	/** Login of the company's admin account; also the company's contact e-mail. Normalized. */
	email: string;
	password: string;
	/** E.164. */
	phone: string;
	inviterPartnerId: number;
	/** Company details; self-registration knows only the name (or the e-mail as a placeholder). */
	company: Omit<NewCompany, 'email' | 'phone' | 'inviter_partner_id' | 'status'>;
	/** The consents given on the form, recorded with the company in the same transaction. */
	consents?: { forms: ConsentForm[]; locale: Locale; origin: ConsentOrigin };
}

class RegistrationRefused extends Error {
	constructor(readonly reason: RegistrationError) {
		super(reason);
	}
}

const UNIQUE_VIOLATION = '23505';

function uniqueViolationOf(error: unknown): string | null {
	const e = error as {
		code?: string;
		constraint_name?: string;
		constraint?: string;
		message?: string;
	};
	if (e?.code !== UNIQUE_VIOLATION) return null;
	return e.constraint_name ?? e.constraint ?? e.message ?? '';
}

/**
 * Registers a pending company with its admin account and consumes one license of the inviter,
 * all in one transaction: either everything is created or nothing is (no license is lost on a
 * refusal). Used by self-registration (/register) and by partners (C2).
 */
export async function registerCompany(
	db: Kysely<Database>,
	input: CompanyRegistration
): Promise<
	| { ok: true; companyId: number; userId: string; licensesLeft: number }
	| { ok: false; error: RegistrationError }
> {
	const passwordHash = await hashPassword(input.password);
	try {
		return await db.transaction().execute(async (trx) => {
			const userWithEmail = await trx
				.selectFrom('users')
				.select('id')
				.where('email', '=', input.email)
				.executeTakeFirst();
			const companyWithEmail = await trx
				.selectFrom('companies')
				.select('id')
				.where('email', '=', input.email)
				.executeTakeFirst();
			if (userWithEmail || companyWithEmail) throw new RegistrationRefused('email_taken');
			if (input.company.inn) {
				const innTaken = await trx
					.selectFrom('companies')
					.select('id')
					.where('inn', '=', input.company.inn)
					.executeTakeFirst();
				if (innTaken) throw new RegistrationRefused('inn_taken');
			}
			const company = await trx
				.insertInto('companies')
				.values({
					...input.company,
					email: input.email,
					phone: input.phone,
					inviter_partner_id: input.inviterPartnerId,
					status: 'pending'
				})
				.returning('id')
				.executeTakeFirstOrThrow()
				.catch((error: unknown) => {
					// The inviter FK fails before the license check when the partner does not exist.
					if ((error as { code?: string })?.code === '23503')
						throw new RegistrationRefused('inviter_not_found');
					throw error;
				});
			const license = await consumeLicense(trx, input.inviterPartnerId, company.id);
			if (!license.ok) throw new RegistrationRefused(license.error);
			const user = await trx
				.insertInto('users')
				.values({
					email: input.email,
					password_hash: passwordHash,
					role: 'company',
					company_id: company.id
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			if (input.consents) {
				await recordConsents(trx, {
					...input.consents,
					subject: { companyId: company.id },
					userId: user.id
				});
			}
			await recordEvent(trx, {
				companyId: company.id,
				type: 'company.registered',
				data: {
					companyId: company.id,
					name: input.company.name,
					inn: input.company.inn ?? '',
					registeredAt: new Date().toISOString()
				}
			});
			return {
				ok: true as const,
				companyId: company.id,
				userId: user.id,
				licensesLeft: license.left
			};
		});
	} catch (error) {
		if (error instanceof RegistrationRefused) return { ok: false, error: error.reason };
		const constraint = uniqueViolationOf(error);
		if (constraint !== null) {
			return { ok: false, error: constraint.includes('inn') ? 'inn_taken' : 'email_taken' };
		}
		throw error;
	}
}
