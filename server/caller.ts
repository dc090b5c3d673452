import type { Kysely } from 'kysely';
import type { SessionUser, ValidSession } from './auth/session';
import type { Database } from './db/types';
import { createCaller } from './root';

/**
 * A server-side tRPC caller for a page's load or action: same procedures, same checks. Pass
 * the request where a procedure records where a call came from (consents keep the browser).
 */
export function callerFor(
	locals: { db: Kysely<Database>; user: SessionUser | null; session: ValidSession | null },
	ip: string,
	request?: Request
) {
	return createCaller({ db: locals.db, user: locals.user, session: locals.session, ip, request });
}
