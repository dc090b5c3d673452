import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Takes one license from a partner, atomically: the conditional UPDATE is the lock, the
 * CHECK (licenses_available >= 0) the backstop. Writes the ledger row in the same transaction.
 * Returns why it could not, without changing anything.
 */
export async function consumeLicense(
	trx: Transaction<Database>,
	partnerId: number,
	companyId: number
): Promise<{ ok: true; left: number } | { ok: false; error: 'inviter_not_found' | 'no_licenses' }> {
	const updated = await trx
		.updateTable('partners')
		.set({ licenses_available: sql`licenses_available - 1` })
		.where('id', '=', partnerId)
		.where('licenses_available', '>', 0)
		.returning('licenses_available')
		.executeTakeFirst();
	if (!updated) {
		const exists = await trx
			.selectFrom('partners')
			.select('id')
			.where('id', '=', partnerId)
			.executeTakeFirst();
		return { ok: false, error: exists ? 'no_licenses' : 'inviter_not_found' };
	}
	await trx
		.insertInto('license_ledger')
		.values({
			partner_id: partnerId,
			delta: -1,
			reason: 'company_registration',
			company_id: companyId
		})
		.execute();
	return { ok: true, left: updated.licenses_available };
}

/** An operator's grant of `count` licenses, with its ledger row. */
export async function grantLicenses(
	trx: Transaction<Database>,
	input: { partnerId: number; count: number; grantedBy: string; note?: string | null }
): Promise<{ left: number } | null> {
	const updated = await trx
		.updateTable('partners')
		.set({ licenses_available: sql`licenses_available + ${input.count}` })
		.where('id', '=', input.partnerId)
		.returning('licenses_available')
		.executeTakeFirst();
	if (!updated) return null;
	await trx
		.insertInto('license_ledger')
		.values({
			partner_id: input.partnerId,
			delta: input.count,
			reason: 'grant',
			created_by: input.grantedBy,
			note: input.note ?? null
		})
		.execute();
	return { left: updated.licenses_available };
}

/** Available licenses of a partner, or null when there is no such partner. */
export async function getLicenseBalance(db: Db, partnerId: number): Promise<number | null> {
	const row = await db
		.selectFrom('partners')
		.select('licenses_available')
		.where('id', '=', partnerId)
		.executeTakeFirst();
	return row ? row.licenses_available : null;
}

/** The ledger of a partner, newest first. */
export function listLedger(db: Db, partnerId: number, limit = 200) {
	return db
		.selectFrom('license_ledger')
		.leftJoin('companies', 'companies.id', 'license_ledger.company_id')
		.select([
			'license_ledger.id',
			'license_ledger.delta',
			'license_ledger.reason',
			'license_ledger.note',
			'license_ledger.created_at as createdAt',
			'companies.name as companyName',
			'companies.id as companyId'
		])
		.where('license_ledger.partner_id', '=', partnerId)
		.orderBy('license_ledger.created_at', 'desc')
		.orderBy('license_ledger.id', 'desc')
		.limit(limit)
		.execute();
}

function partnerSummaries(db: Db) {
	return db
		.selectFrom('partners')
		.select([
			'partners.id',
			'partners.name',
			'partners.licenses_available as licensesAvailable',
			'partners.created_at as createdAt',
			sql<number>`(select count(*) from companies c where c.inviter_partner_id = partners.id)`.as(
				'companyCount'
			),
			sql<string | null>`(select min(u.email) from users u where u.partner_id = partners.id)`.as(
				'email'
			)
		])
		.orderBy('partners.id');
}

/** Every partner with its license balance and how many companies it brought, by ID. */
export function listPartners(db: Db) {
	return partnerSummaries(db).execute();
}

export function getPartner(db: Db, partnerId: number) {
	return partnerSummaries(db).where('partners.id', '=', partnerId).executeTakeFirst();
}

/**
 * A new partner with the next partner ID (one more than the largest) and its sign-in account.
 * Two operators creating partners at once would pick the same ID: the table lock makes the
 * second wait for the first's commit.
 */
export async function createPartner(
	trx: Transaction<Database>,
	input: { name: string; email: string; passwordHash: string }
): Promise<{ ok: true; partnerId: number } | { ok: false; error: 'email_taken' }> {
	const taken = await trx
		.selectFrom('users')
		.select('id')
		.where('email', '=', input.email)
		.executeTakeFirst();
	if (taken) return { ok: false, error: 'email_taken' };
	await sql`lock table partners in share row exclusive mode`.execute(trx);
	const next = await trx
		.selectFrom('partners')
		.select(sql<number>`coalesce(max(id), 0) + 1`.as('id'))
		.executeTakeFirstOrThrow();
	const partnerId = Number(next.id);
	await trx.insertInto('partners').values({ id: partnerId, name: input.name }).execute();
	await trx
		.insertInto('users')
		.values({
			email: input.email,
			password_hash: input.passwordHash,
			role: 'partner',
			partner_id: partnerId
		})
		.execute();
	return { ok: true, partnerId };
}
