import { initTRPC, TRPCError } from '@trpc/server';
import type { Kysely } from 'kysely';
import { z, ZodError } from 'zod';
import type { SessionUser, ValidSession } from './auth/session';
import { getConfig } from './config';
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
}

/** Who may call a procedure; the procedure walk in tests/integration reads this. */
export type Access = 'public' | 'authed' | Role;
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

/** Any signed-in user; narrows `ctx.user` and `ctx.session` to non-null. */
export const authedProcedure = procedure.meta({ access: 'authed' }).use(({ ctx, next }) => {
	if (!ctx.user || !ctx.session) throw new TRPCError({ code: 'UNAUTHORIZED' });
	return next({ ctx: { ...ctx, user: ctx.user, session: ctx.session } });
});

function requireRole<R extends Role>(role: R) {
	return procedure.meta({ access: role }).use(({ ctx, next }) => {
		if (!ctx.user || !ctx.session) throw new TRPCError({ code: 'UNAUTHORIZED' });
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
