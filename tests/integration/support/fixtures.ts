import type { Kysely } from 'kysely';
import { createSession, type SessionUser, type ValidSession } from '../../../server/auth/session';
import { hashPassword } from '../../../server/auth/password';
import { generateTerminalToken, type TerminalPrincipal } from '../../../server/auth/terminal';
import { createCaller } from '../../../server/root';
import type { Context } from '../../../server/trpc';
import type { Database, Role } from '../../../server/db/types';

let cachedHash: Promise<string> | undefined;
/** One argon2 hash shared by every fixture user (hashing is deliberately slow). */
export function fixturePasswordHash(): Promise<string> {
	cachedHash ??= hashPassword('fixture-password-1');
	return cachedHash;
}
export const FIXTURE_PASSWORD = 'fixture-password-1';

export async function insertPartner(db: Kysely<Database>, id: number, licenses: number) {
	await db
		.insertInto('partners')
		.values({ id, name: `Partner ${id}`, licenses_available: licenses })
		.execute();
	return id;
}

export async function insertCompany(
	db: Kysely<Database>,
	input: {
		name?: string;
		status?: 'pending' | 'active' | 'rejected';
		rateBp?: number;
		timeZone?: string;
		partnerId?: number;
		rateFrom?: Date;
	} = {}
) {
	const partnerId = input.partnerId ?? 1;
	const exists = await db
		.selectFrom('partners')
		.select('id')
		.where('id', '=', partnerId)
		.executeTakeFirst();
	if (!exists) await insertPartner(db, partnerId, 10);
	const name = input.name ?? `Company ${Math.random().toString(36).slice(2, 7)}`;
	const company = await db
		.insertInto('companies')
		.values({
			name,
			status: input.status ?? 'active',
			email: `${name.toLowerCase().replace(/\W+/g, '-')}-${Math.random().toString(36).slice(2, 7)}@example.test`,
			time_zone: input.timeZone ?? 'Europe/Moscow',
			inviter_partner_id: partnerId
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	if (input.rateBp !== undefined) {
		await db
			.insertInto('company_rates')
			.values({
				company_id: company.id,
				rate_bp: input.rateBp,
				effective_from: input.rateFrom ?? new Date('2000-01-01T00:00:00Z')
			})
			.execute();
	}
	return company.id;
}

export async function insertUser(
	db: Kysely<Database>,
	role: Role,
	links: { companyId?: number; partnerId?: number; customerId?: string; email?: string } = {}
): Promise<SessionUser> {
	const email = links.email ?? `${role}-${Math.random().toString(36).slice(2, 9)}@example.test`;
	const user = await db
		.insertInto('users')
		.values({
			email,
			password_hash: await fixturePasswordHash(),
			role,
			company_id: links.companyId ?? null,
			partner_id: links.partnerId ?? null,
			customer_id: links.customerId ?? null
		})
		.returning(['id'])
		.executeTakeFirstOrThrow();
	return {
		id: user.id,
		email,
		role,
		locale: 'ru',
		companyId: links.companyId ?? null,
		partnerId: links.partnerId ?? null,
		customerId: links.customerId ?? null
	};
}

export async function insertCustomer(db: Kysely<Database>, id: string, name = 'Тестовый Клиент') {
	await db.insertInto('customers').values({ id, name }).execute();
	return id;
}

/** A tRPC caller acting as `user` (or anonymous), with a real session row. */
export async function callerAs(
	db: Kysely<Database>,
	user: SessionUser | null,
	ip = '127.0.0.1',
	request?: Request,
	clock?: () => Date
) {
	let session: ValidSession | null = null;
	if (user) {
		const { token, expiresAt } = await createSession(db, user.id);
		const { sessionIdFromToken } = await import('../../../server/auth/session');
		session = { id: sessionIdFromToken(token), expiresAt };
	}
	const ctx: Context = { db, user, session, ip, request, clock };
	return createCaller(ctx);
}

/** A paired terminal of a company (its credential row), as the hooks would resolve it. */
export async function insertTerminal(
	db: Kysely<Database>,
	companyId: number,
	name = 'Касса у входа'
): Promise<TerminalPrincipal> {
	const device = await db
		.insertInto('devices')
		.values({
			company_id: companyId,
			name,
			credential_hash: generateTerminalToken().hash,
			paired_at: new Date()
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return { deviceId: device.id, companyId, name, revoked: null };
}

/** A tRPC caller acting as a paired terminal (no user session). */
export function callerAsTerminal(
	db: Kysely<Database>,
	terminal: TerminalPrincipal,
	options: { ip?: string; clock?: () => Date } = {}
) {
	const ctx: Context = {
		db,
		user: null,
		session: null,
		terminal,
		ip: options.ip ?? '127.0.0.1',
		clock: options.clock
	};
	return createCaller(ctx);
}
