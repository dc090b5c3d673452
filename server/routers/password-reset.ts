import { z } from 'zod';
import { normalizeEmail } from '../../src/lib/domain/email';
import { userText } from '../../src/lib/domain/text';
import {
	checkResetToken,
	completePasswordReset,
	requestPasswordReset
} from '../auth/password-reset';
import { getConfig } from '../config';
import { tooManyRequests, waitTextRu } from '../http/too-many-requests';
import { getMailer } from '../mail/mailer';
import { createRouter, publicProcedure, type Context } from '../trpc';

/** Links in mail point to ORIGIN when set, else to where the request came (never a guess). */
function publicOrigin(ctx: Context): string {
	const config = getConfig();
	if (config.ORIGIN) return new URL(config.ORIGIN).origin;
	if (ctx.request) return new URL(ctx.request.url).origin;
	return `http://localhost:${config.PORT}`;
}

const tokenInput = z.object({ token: z.string().max(200).default('') });

/** «Забыли пароль?»: the doors of server/auth/password-reset.ts, open to anybody. */
export const passwordResetRouter = createRouter({
	/**
	 * Mails a one-time link to the account with this e-mail, if there is one; the answer is
	 * `{ ok: true }` either way. A malformed address is `{ ok: false, error }` (it tells nothing
	 * about accounts). Past the limits per address or per e-mail, TOO_MANY_REQUESTS.
	 */
	request: publicProcedure
		.input(z.object({ email: userText({ max: 1000 }).default('') }).default({ email: '' }))
		.mutation(async ({ ctx, input }) => {
			const email = normalizeEmail(input.email);
			if (!email.ok) return { ok: false as const, error: `me.error.email.${email.error}` };
			const outcome = await requestPasswordReset(
				ctx.db,
				{ email: email.email, ip: ctx.ip, origin: publicOrigin(ctx) },
				{ mailer: ctx.mailer ?? getMailer(), now: ctx.clock?.() }
			);
			if (!outcome.ok) {
				throw tooManyRequests(
					`Слишком много запросов на восстановление пароля. Повторите через ${waitTextRu(outcome.retryAfterSeconds)}.`,
					outcome.retryAfterSeconds
				);
			}
			return { ok: true as const };
		}),

	/** Whether a link still opens, and for which e-mail (the page shows it). */
	check: publicProcedure
		.input(tokenInput.default({ token: '' }))
		.query(({ ctx, input }) => checkResetToken(ctx.db, input.token, ctx.clock?.())),

	/**
	 * Sets the new password through a link (once): `{ ok: true }`, `invalid_link` (expired,
	 * used, unknown) or the password's field errors (catalogue keys; the link stays open).
	 */
	complete: publicProcedure
		.input(
			tokenInput
				.extend({
					password: z.string().max(1024, 'me.error.password.too_long').default(''),
					passwordRepeat: z.string().max(1024).optional()
				})
				.default({ token: '', password: '' })
		)
		.mutation(({ ctx, input }) => completePasswordReset(ctx.db, input, ctx.clock?.()))
});
