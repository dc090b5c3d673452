import type { Kysely } from 'kysely';
import type { Database } from '../db/types';

type Db = Kysely<Database>;

/**
 * A new operator account. The e-mail is unique: `null` when an account already has it (the
 * insert does nothing), so two creations at once cannot both succeed.
 */
export async function insertOperator(
	db: Db,
	input: { email: string; passwordHash: string }
): Promise<{ id: string } | null> {
	const row = await db
		.insertInto('users')
		.values({ email: input.email, password_hash: input.passwordHash, role: 'operator' })
		.onConflict((oc) => oc.column('email').doNothing())
		.returning('id')
		.executeTakeFirst();
	return row ?? null;
}

/** The role of the account with this (normalized) e-mail, if there is one. */
export async function findRoleByEmail(db: Db, email: string) {
	const row = await db
		.selectFrom('users')
		.select('role')
		.where('email', '=', email)
		.executeTakeFirst();
	return row?.role ?? null;
}

/** Whether any operator account exists: a real install starts without one. */
export async function hasOperator(db: Db): Promise<boolean> {
	const row = await db
		.selectFrom('users')
		.select('id')
		.where('role', '=', 'operator')
		.limit(1)
		.executeTakeFirst();
	return row !== undefined;
}
