import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/types';

type Db = Kysely<Database> | Transaction<Database>;

/** Password reset links (migration 0014), by the SHA-256 of their token. */

export async function insertResetToken(
	db: Db,
	token: { id: string; userId: string; createdAt: Date; expiresAt: Date }
): Promise<void> {
	await db
		.insertInto('password_reset_tokens')
		.values({
			id: token.id,
			user_id: token.userId,
			created_at: token.createdAt,
			expires_at: token.expiresAt
		})
		.execute();
}

/** Every link of the user: a newer one replaces them, a used one takes the rest with it. */
export async function deleteResetTokensOfUser(db: Db, userId: string): Promise<void> {
	await db.deleteFrom('password_reset_tokens').where('user_id', '=', userId).execute();
}

/** The account a link still open at `now` belongs to, or undefined. Reads; uses nothing. */
export async function getLiveResetToken(db: Db, id: string, now: Date) {
	return db
		.selectFrom('password_reset_tokens as t')
		.innerJoin('users as u', 'u.id', 't.user_id')
		.select(['u.id as userId', 'u.email'])
		.where('t.id', '=', id)
		.where('t.expires_at', '>', now)
		.executeTakeFirst();
}

/**
 * Uses a link: deletes its row and says whose it was, if it was still open at `now`. One
 * statement, so of two uses at once exactly one gets the row (the other waits for the row
 * lock, then finds it gone). An expired row goes too.
 */
export async function takeResetToken(
	db: Db,
	id: string,
	now: Date
): Promise<{ userId: string } | undefined> {
	const row = await db
		.deleteFrom('password_reset_tokens')
		.where('id', '=', id)
		.returning(['user_id', 'expires_at'])
		.executeTakeFirst();
	if (!row || new Date(row.expires_at).getTime() <= now.getTime()) return undefined;
	return { userId: row.user_id };
}
