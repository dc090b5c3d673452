import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase64urlNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Kysely } from 'kysely';
import { validateNewPassword, type NewPasswordErrors } from '../../src/lib/forms/password-reset';
import { translate } from '../../src/lib/i18n';
import { getConfig, type Config } from '../config';
import type { Database } from '../db/types';
import type { Mailer } from '../mail/mailer';
import { logger } from '../observability/logger';
import {
	deleteResetTokensOfUser,
	getLiveResetToken,
	insertResetToken,
	takeResetToken
} from '../repositories/password-reset-tokens';
import { takeRateSlot } from '../services/rate-limit';
import { deleteFailedLoginAttempts } from '../repositories/login-attempts';
import { hashPassword } from './password';
import { invalidateOtherSessions } from './session';

/**
 * Password recovery by e-mail (issue 19), for every account that signs in with an e-mail and
 * a password: operator, partner, company admin, customer. A link is a random token of
 * RESET_TOKEN_BYTES; only its SHA-256 is kept, it opens once, for RESET_LINK_TTL_MS, and a
 * newer link replaces the older ones. Using it sets the new password, ends every session of
 * the account and forgets the account's failed logins.
 */
export const RESET_LINK_TTL_MS = 60 * 60 * 1000;
export const RESET_TOKEN_BYTES = 32;
/**
 * Where the link opens: `${origin}${RESET_PATH}?token=<token>` — in the query, which the
 * request log leaves out (it writes paths).
 */
export const RESET_PATH = '/login/reset';

const HOUR_MS = 60 * 60 * 1000;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** 256 random bits, base64url: the token lives only in the mailed link. */
export function generateResetToken(): string {
	const bytes = new Uint8Array(RESET_TOKEN_BYTES);
	crypto.getRandomValues(bytes);
	return encodeBase64urlNoPadding(bytes);
}

/** The row's key: SHA-256 (hex) of the token, so the table cannot be replayed. */
export function resetTokenId(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export type ResetRequestOutcome =
	{ ok: true } | { ok: false; limit: 'address' | 'email'; retryAfterSeconds: number };

/** Mail deliveries started after their request was answered (tests wait for them). */
const pending = new Set<Promise<void>>();

/** Resolves once every reset mail started so far has been sent (or has failed and been logged). */
export async function settleResetMail(): Promise<void> {
	while (pending.size > 0) await Promise.all([...pending]);
}

/**
 * A request for a link to `email` (already normalized) from `ip`. The answer is the same
 * whether or not an account has that e-mail, and it comes as soon as the limits are taken: the
 * account is looked up and the mail sent after answering, so neither the words nor the time
 * tell who has an account. Limits: KOPEK_RESETS_PER_HOUR per address and
 * KOPEK_RESETS_PER_EMAIL_HOUR per e-mail (so nobody floods a mailbox), counted for every
 * request, known address or not.
 */
export async function requestPasswordReset(
	db: Kysely<Database>,
	input: { email: string; ip: string; origin: string },
	deps: { mailer: Mailer; now?: Date; config?: Config }
): Promise<ResetRequestOutcome> {
	const now = deps.now ?? new Date();
	const config = deps.config ?? getConfig();
	const byAddress = await takeRateSlot(
		db,
		'password_reset_address',
		input.ip,
		[{ windowMs: HOUR_MS, max: config.KOPEK_RESETS_PER_HOUR }],
		now
	);
	if (!byAddress.ok)
		return { ok: false, limit: 'address', retryAfterSeconds: byAddress.retryAfterSeconds };
	const byEmail = await takeRateSlot(
		db,
		'password_reset_email',
		input.email,
		[{ windowMs: HOUR_MS, max: config.KOPEK_RESETS_PER_EMAIL_HOUR }],
		now
	);
	if (!byEmail.ok)
		return { ok: false, limit: 'email', retryAfterSeconds: byEmail.retryAfterSeconds };

	const delivery = new Promise<void>((resolve) => setImmediate(resolve))
		.then(() => sendResetLink(db, input.email, input.origin, now, deps.mailer))
		.catch((error: unknown) => {
			logger.error(
				{ event: 'password_reset.mail_failed', error: String(error) },
				'a password reset mail could not be sent'
			);
		})
		.finally(() => pending.delete(delivery));
	pending.add(delivery);
	return { ok: true };
}

/** Makes the account's new link (dropping its older ones) and mails it; nothing for no account. */
async function sendResetLink(
	db: Kysely<Database>,
	email: string,
	origin: string,
	now: Date,
	mailer: Mailer
): Promise<void> {
	const user = await db
		.selectFrom('users')
		.select(['id', 'email', 'locale'])
		.where('email', '=', email)
		.executeTakeFirst();
	if (!user) return;
	const token = generateResetToken();
	await db.transaction().execute(async (trx) => {
		await deleteResetTokensOfUser(trx, user.id);
		await insertResetToken(trx, {
			id: resetTokenId(token),
			userId: user.id,
			createdAt: now,
			expiresAt: new Date(now.getTime() + RESET_LINK_TTL_MS)
		});
	});
	const link = `${origin}${RESET_PATH}?token=${token}`;
	await mailer.send({
		to: user.email,
		subject: translate(user.locale, 'reset.mail.subject'),
		text: translate(user.locale, 'reset.mail.text', { email: user.email, link })
	});
}

/** Whose a link is, while it is still open; uses nothing. */
export async function checkResetToken(
	db: Kysely<Database>,
	token: string,
	now = new Date()
): Promise<{ ok: true; email: string } | { ok: false }> {
	if (!TOKEN_SHAPE.test(token)) return { ok: false };
	const live = await getLiveResetToken(db, resetTokenId(token), now);
	return live ? { ok: true, email: live.email } : { ok: false };
}

export type ResetCompletion =
	| { ok: true; email: string }
	| { ok: false; error: 'invalid_link' }
	| { ok: false; error: 'password'; fieldErrors: NewPasswordErrors };

/**
 * Uses a link: checks the new password by the sign-up policy (a refused password leaves the
 * link open), then, in one transaction, takes the link (once: see takeResetToken), sets the
 * password, ends every session of the account, drops its other links and forgets its failed
 * logins — the owner has just proved the mailbox, and a guesser's failures must not keep them
 * waiting on the new password.
 */
export async function completePasswordReset(
	db: Kysely<Database>,
	input: { token: string; password: string; passwordRepeat?: string },
	now = new Date()
): Promise<ResetCompletion> {
	const link = await checkResetToken(db, input.token, now);
	if (!link.ok) return { ok: false, error: 'invalid_link' };
	const verdict = validateNewPassword(input.password, input.passwordRepeat, link.email);
	if (!verdict.ok) return { ok: false, error: 'password', fieldErrors: verdict.fieldErrors };
	const passwordHash = await hashPassword(input.password);
	return db.transaction().execute(async (trx): Promise<ResetCompletion> => {
		const taken = await takeResetToken(trx, resetTokenId(input.token), now);
		if (!taken) return { ok: false, error: 'invalid_link' };
		const user = await trx
			.updateTable('users')
			.set({ password_hash: passwordHash, password_changed_at: now })
			.where('id', '=', taken.userId)
			.returning(['email'])
			.executeTakeFirstOrThrow();
		await invalidateOtherSessions(trx, taken.userId, null);
		await deleteResetTokensOfUser(trx, taken.userId);
		await deleteFailedLoginAttempts(trx, user.email);
		return { ok: true, email: user.email };
	});
}
