import type { Kysely } from 'kysely';
import { EMAIL_MAX } from '../../src/lib/domain/email';
import { cleanUserText } from '../../src/lib/domain/text';
import type { Database } from '../db/types';
import { getDummyHash, hashPassword, verifyPassword } from './password';
import { createSession, invalidateOtherSessions } from './session';
import { checkLoginThrottle, recordLoginAttempt } from './throttle';

export type LoginOutcome =
	| { ok: true; userId: string; role: Database['users']['role']; token: string; expiresAt: Date }
	| { ok: false; error: 'invalid_credentials' }
	| { ok: false; error: 'throttled'; retryAfterSeconds: number };

/**
 * Checks credentials under the Postgres-kept throttle and opens a fresh session.
 * An unknown e-mail costs the same argon2 work as a wrong password.
 */
export async function logIn(
	db: Kysely<Database>,
	input: { email: string; password: string; ip: string; userAgent?: string | null },
	now: () => Date = () => new Date()
): Promise<LoginOutcome> {
	const cleaned = cleanUserText(input.email, { max: EMAIL_MAX });
	// No account has such a login (sign-up refuses it), and it must not reach the database.
	if (!cleaned.ok) return { ok: false, error: 'invalid_credentials' };
	const email = cleaned.text.toLowerCase();
	const verdict = await checkLoginThrottle(db, email, input.ip, now());
	if (!verdict.allowed)
		return { ok: false, error: 'throttled', retryAfterSeconds: verdict.retryAfterSeconds };

	const user = await db
		.selectFrom('users')
		.select(['id', 'role', 'password_hash'])
		.where('email', '=', email)
		.executeTakeFirst();
	const valid = await verifyPassword(user?.password_hash ?? (await getDummyHash()), input.password);
	await recordLoginAttempt(db, email, input.ip, Boolean(user && valid), now());
	if (!user || !valid) return { ok: false, error: 'invalid_credentials' };

	const { token, expiresAt } = await createSession(db, user.id, {
		ip: input.ip,
		userAgent: input.userAgent
	});
	return { ok: true, userId: user.id, role: user.role, token, expiresAt };
}

/**
 * Changes a password after checking the current one, and ends every other session of the user
 * (the one making the change stays).
 */
export async function changePassword(
	db: Kysely<Database>,
	input: {
		userId: string;
		currentSessionId: string | null;
		currentPassword: string;
		newPassword: string;
	}
): Promise<{ ok: true } | { ok: false; error: 'wrong_current_password' }> {
	const user = await db
		.selectFrom('users')
		.select(['password_hash'])
		.where('id', '=', input.userId)
		.executeTakeFirstOrThrow();
	if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
		return { ok: false, error: 'wrong_current_password' };
	}
	const passwordHash = await hashPassword(input.newPassword);
	await db.transaction().execute(async (trx) => {
		await trx
			.updateTable('users')
			.set({ password_hash: passwordHash, password_changed_at: new Date() })
			.where('id', '=', input.userId)
			.execute();
		await invalidateOtherSessions(trx, input.userId, input.currentSessionId);
	});
	return { ok: true };
}
