import { recordEvent } from './webhook-outbox';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { CompanyStatus, Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Russian time zones a company may work in, west to east. A day, month or year of the
 * operations list is taken in the company's zone.
 */
export const COMPANY_TIME_ZONES = [
	'Europe/Kaliningrad',
	'Europe/Moscow',
	'Europe/Samara',
	'Asia/Yekaterinburg',
	'Asia/Omsk',
	'Asia/Novosibirsk',
	'Asia/Krasnoyarsk',
	'Asia/Irkutsk',
	'Asia/Yakutsk',
	'Asia/Vladivostok',
	'Asia/Magadan',
	'Asia/Kamchatka'
] as const;
export type CompanyTimeZone = (typeof COMPANY_TIME_ZONES)[number];

/** The rate in force now, as a correlated subquery usable in any select on companies. */
const currentRateBp = sql<number | null>`(
	select r.rate_bp from company_rates r
	where r.company_id = companies.id and r.effective_from <= now()
	order by r.effective_from desc limit 1)`;

/** What the company's own profile shows (seed 000 "Мой профиль"). */
export function getProfile(db: Db, companyId: number) {
	return db
		.selectFrom('companies')
		.select([
			'id',
			'name',
			'status',
			'rejection_reason as rejectionReason',
			'city',
			'country',
			'email',
			'phone',
			'time_zone as timeZone',
			'inn',
			currentRateBp.as('rateBp')
		])
		.where('id', '=', companyId)
		.executeTakeFirst();
}

/** The editable part of the profile; the e-mail and the rate have their own paths. */
export async function updateProfile(
	db: Db,
	companyId: number,
	input: { name: string; city: string | null; country: string; phone: string; timeZone: string }
): Promise<void> {
	await db
		.updateTable('companies')
		.set({
			name: input.name,
			city: input.city,
			country: input.country,
			phone: input.phone,
			time_zone: input.timeZone
		})
		.where('id', '=', companyId)
		.execute();
}

/** The company's contact e-mail follows its admin login: one address for both. */
export async function updateEmail(
	trx: Transaction<Database>,
	input: { companyId: number; userId: string; email: string }
): Promise<void> {
	await trx
		.updateTable('companies')
		.set({ email: input.email })
		.where('id', '=', input.companyId)
		.execute();
	await trx
		.updateTable('users')
		.set({ email: input.email })
		.where('id', '=', input.userId)
		.execute();
}

/** True when another account or another company already uses the address. */
export async function isEmailTaken(
	db: Db,
	email: string,
	mine: { userId: string; companyId: number }
): Promise<boolean> {
	const user = await db
		.selectFrom('users')
		.select('id')
		.where('email', '=', email)
		.where('id', '<>', mine.userId)
		.executeTakeFirst();
	if (user) return true;
	const company = await db
		.selectFrom('companies')
		.select('id')
		.where('email', '=', email)
		.where('id', '<>', mine.companyId)
		.executeTakeFirst();
	return company !== undefined;
}

export async function getStatus(db: Db, companyId: number) {
	return db
		.selectFrom('companies')
		.select(['status', 'rejection_reason as rejectionReason', 'name'])
		.where('id', '=', companyId)
		.executeTakeFirst();
}

/** Everything an operator sees of one company. */
export function getDetails(db: Db, companyId: number) {
	return db
		.selectFrom('companies')
		.leftJoin('partners', 'partners.id', 'companies.inviter_partner_id')
		.selectAll('companies')
		.select(['partners.name as inviterName', currentRateBp.as('rateBp')])
		.where('companies.id', '=', companyId)
		.executeTakeFirst();
}

/** The operator's list: every company with its status and current rate, or only one status. */
export function listCompanies(db: Db, status?: CompanyStatus) {
	return db
		.selectFrom('companies')
		.select([
			'id',
			'name',
			'status',
			'email',
			'phone',
			'city',
			'inn',
			'director_last_name as directorLastName',
			'director_first_name as directorFirstName',
			'legal_address as legalAddress',
			'time_zone as timeZone',
			'inviter_partner_id as inviterPartnerId',
			'created_at as createdAt',
			'rejection_reason as rejectionReason',
			currentRateBp.as('rateBp'),
			sql<number>`(select count(*) from company_documents d where d.company_id = companies.id)`.as(
				'documentCount'
			)
		])
		.$if(status !== undefined, (q) => q.where('status', '=', status as CompanyStatus))
		.orderBy('created_at', status === 'pending' ? 'asc' : 'desc')
		.orderBy('id')
		.execute();
}

/** The company's status, with its row locked until the transaction ends. */
export async function lockStatus(
	trx: Transaction<Database>,
	companyId: number
): Promise<CompanyStatus | null> {
	const row = await trx
		.selectFrom('companies')
		.select('status')
		.where('id', '=', companyId)
		.forUpdate()
		.executeTakeFirst();
	return row?.status ?? null;
}

export type ApprovalRefusal = 'not_pending' | 'no_documents';

/**
 * Approval makes the company active: it can take payments from now on. Only a company under
 * review (pending) with at least one document to check can be approved; the refusal says why.
 * The company row is locked first, so a document deleted meanwhile cannot slip past the check.
 */
export async function approve(
	trx: Transaction<Database>,
	companyId: number
): Promise<{ ok: true } | { ok: false; error: ApprovalRefusal }> {
	if ((await lockStatus(trx, companyId)) !== 'pending') return { ok: false, error: 'not_pending' };
	const document = await trx
		.selectFrom('company_documents')
		.select('id')
		.where('company_id', '=', companyId)
		.limit(1)
		.executeTakeFirst();
	if (!document) return { ok: false, error: 'no_documents' };
	await trx
		.updateTable('companies')
		.set({ status: 'active', approved_at: sql`now()`, rejection_reason: null })
		.where('id', '=', companyId)
		.execute();
	await recordEvent(trx, {
		companyId,
		type: 'company.approved',
		data: { companyId, approvedAt: new Date().toISOString() }
	});
	return { ok: true };
}

/** Rejection keeps the reason for the company to read; it can upload again. */
export async function reject(db: Db, companyId: number, reason: string): Promise<boolean> {
	const row = await db
		.updateTable('companies')
		.set({ status: 'rejected', rejection_reason: reason })
		.where('id', '=', companyId)
		.where('status', '=', 'pending')
		.returning('id')
		.executeTakeFirst();
	return row !== undefined;
}

/**
 * New documents from a rejected company send it back to the review queue; the last reason
 * stays visible until an operator decides again.
 */
export async function resubmit(db: Db, companyId: number): Promise<void> {
	await db
		.updateTable('companies')
		.set({ status: 'pending' })
		.where('id', '=', companyId)
		.where('status', '=', 'rejected')
		.execute();
}

export async function rename(db: Db, companyId: number, name: string): Promise<boolean> {
	const row = await db
		.updateTable('companies')
		.set({ name })
		.where('id', '=', companyId)
		.returning('id')
		.executeTakeFirst();
	return row !== undefined;
}

export async function getCreatedAt(db: Db, companyId: number): Promise<Date | null> {
	const row = await db
		.selectFrom('companies')
		.select('created_at')
		.where('id', '=', companyId)
		.executeTakeFirst();
	return row?.created_at ?? null;
}

export async function getTimeZone(db: Db, companyId: number): Promise<string> {
	const row = await db
		.selectFrom('companies')
		.select('time_zone')
		.where('id', '=', companyId)
		.executeTakeFirstOrThrow();
	return row.time_zone;
}

/** The stored hash of a company account's password, to confirm a sensitive change. */
export async function getPasswordHash(db: Db, userId: string): Promise<string | null> {
	const row = await db
		.selectFrom('users')
		.select('password_hash')
		.where('id', '=', userId)
		.executeTakeFirst();
	return row?.password_hash ?? null;
}
