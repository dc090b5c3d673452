import { initTRPC, TRPCError } from '@trpc/server';
import type { Kysely } from 'kysely';
import { z, ZodError } from 'zod';
import type { SessionUser, ValidSession } from './auth/session';
import type { TerminalPrincipal } from './auth/terminal';
import { getConfig } from './config';
import type { Mailer } from './mail/mailer';
import { transformer } from './transformer';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from './db/availability';
import type { Database, Role } from './db/types';

/** Everything a procedure may use: the database, who is calling, from where. */
export interface Context {
	db: Kysely<Database>;
	user: SessionUser | null;
	session: ValidSession | null;
	ip: string;
	/** The request, when there is one (HTTP); absent for server-side callers in tests. */
	request?: Request;
	/** A paired terminal's credential (SPEC C10), when the request carries one. */
	terminal?: TerminalPrincipal | null;
	/** The time, injectable for tests (pairing codes expire); `new Date()` when absent. */
	clock?: () => Date;
	/** Outgoing mail, injectable for tests; the process's mailer (SMTP_URL or files) when absent. */
	mailer?: Mailer;
	/** Sets a response cookie (HTTP only): how `devices.pair` hands the terminal its credential. */
	setCookie?: (name: string, value: string, options: CookieOptions) => void;
}

export interface CookieOptions {
	httpOnly: boolean;
	sameSite: 'lax';
	path: string;
	secure: boolean;
	expires: Date;
}

/** Who may call a procedure; the procedure walk in tests/integration reads this. */
export type Access = 'public' | 'authed' | Role | 'terminal' | 'counter';
export interface Meta {
	access: Access;
}

const isDev = getConfig().NODE_ENV === 'development';

const t = initTRPC
	.context<Context>()
	.meta<Meta>()
	.create({
		transformer,
		isDev,
		errorFormatter({ shape, error }) {
			const data: Record<string, unknown> = { ...shape.data };
			if (!isDev) delete data.stack;
			data.fieldErrors =
				error.cause instanceof ZodError ? z.flattenError(error.cause).fieldErrors : null;
			// An unexpected error must not tell the client what broke inside.
			const message =
				error.code === 'INTERNAL_SERVER_ERROR' && !isDev ? 'Internal server error' : shape.message;
			return { ...shape, message, data };
		}
	});

export const createRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const mergeRouters = t.mergeRouters;

/**
 * Every procedure: a database that cannot be reached (down, restarting, too slow) is answered
 * as SERVICE_UNAVAILABLE — HTTP 503 with Retry-After — which clients retry, never as a 500.
 */
const procedure = t.procedure.use(async ({ next }) => {
	const result = await next();
	if (!result.ok && isDatabaseUnavailable(result.error.cause ?? result.error)) {
		throw new TRPCError({
			code: 'SERVICE_UNAVAILABLE',
			message: DATABASE_UNAVAILABLE_MESSAGE,
			cause: result.error.cause ?? result.error
		});
	}
	return result;
});

export const publicProcedure = procedure.meta({ access: 'public' });

/** A terminal credential is an identity, just never one for a user's procedure. */
function refusalFor(ctx: Context): 'UNAUTHORIZED' | 'FORBIDDEN' {
	return ctx.terminal ? 'FORBIDDEN' : 'UNAUTHORIZED';
}

/** Any signed-in user; narrows `ctx.user` and `ctx.session` to non-null. */
export const authedProcedure = procedure.meta({ access: 'authed' }).use(({ ctx, next }) => {
	if (!ctx.user || !ctx.session) throw new TRPCError({ code: refusalFor(ctx) });
	return next({ ctx: { ...ctx, user: ctx.user, session: ctx.session } });
});

function requireRole<R extends Role>(role: R) {
	return procedure.meta({ access: role }).use(({ ctx, next }) => {
		if (!ctx.user || !ctx.session) throw new TRPCError({ code: refusalFor(ctx) });
		if (ctx.user.role !== role) throw new TRPCError({ code: 'FORBIDDEN' });
		return next({
			ctx: { ...ctx, user: ctx.user as SessionUser & { role: R }, session: ctx.session }
		});
	});
}

export const operatorProcedure = requireRole('operator');

export const partnerProcedure = requireRole('partner').use(({ ctx, next }) => {
	if (ctx.user.partnerId === null) throw new TRPCError({ code: 'FORBIDDEN' });
	return next({ ctx: { ...ctx, partnerId: ctx.user.partnerId } });
});

export const companyProcedure = requireRole('company').use(({ ctx, next }) => {
	if (ctx.user.companyId === null) throw new TRPCError({ code: 'FORBIDDEN' });
	return next({ ctx: { ...ctx, companyId: ctx.user.companyId } });
});

export const customerProcedure = requireRole('customer').use(({ ctx, next }) => {
	if (ctx.user.customerId === null) throw new TRPCError({ code: 'FORBIDDEN' });
	return next({ ctx: { ...ctx, customerId: ctx.user.customerId } });
});

/** Who works the counter: the company's admin signed in (today's counter) or a paired terminal. */
export type CounterActor =
	| { kind: 'admin'; userId: string; deviceId: null }
	| { kind: 'terminal'; userId: null; deviceId: string; terminal: TerminalPrincipal };

/**
 * The counter's work (SPEC C10): a paired terminal or the company admin. A terminal wins when
 * a request carries both. Revoked terminals pass here: `payments.sync` still answers them per
 * operation; `counterProcedure` refuses them.
 */
export const counterSyncProcedure = procedure.meta({ access: 'counter' }).use(({ ctx, next }) => {
	if (ctx.terminal) {
		const terminal = ctx.terminal;
		const counter: CounterActor = {
			kind: 'terminal',
			userId: null,
			deviceId: terminal.deviceId,
			terminal
		};
		return next({ ctx: { ...ctx, companyId: terminal.companyId, counter } });
	}
	if (!ctx.user || !ctx.session) throw new TRPCError({ code: 'UNAUTHORIZED' });
	if (ctx.user.role !== 'company' || ctx.user.companyId === null)
		throw new TRPCError({ code: 'FORBIDDEN' });
	const counter: CounterActor = { kind: 'admin', userId: ctx.user.id, deviceId: null };
	return next({ ctx: { ...ctx, companyId: ctx.user.companyId, counter } });
});

/** The refusal a revoked terminal gets from everything but the sync. */
export const TERMINAL_REVOKED = 'terminal_revoked';

function refuseRevoked(terminal: TerminalPrincipal | null | undefined) {
	if (terminal?.revoked) throw new TRPCError({ code: 'FORBIDDEN', message: TERMINAL_REVOKED });
}

export const counterProcedure = counterSyncProcedure.use(({ ctx, next }) => {
	refuseRevoked(ctx.terminal);
	return next();
});

/** A paired terminal only (its cashiers, its shift report, refunds at the counter). */
export const terminalProcedure = procedure.meta({ access: 'terminal' }).use(({ ctx, next }) => {
	if (!ctx.terminal) throw new TRPCError({ code: ctx.user ? 'FORBIDDEN' : 'UNAUTHORIZED' });
	refuseRevoked(ctx.terminal);
	const terminal = ctx.terminal;
	return next({
		ctx: { ...ctx, terminal, companyId: terminal.companyId, deviceId: terminal.deviceId }
	});
});
