import type { Kysely } from 'kysely';
import type { SessionUser, ValidSession } from '$server/auth/session';
import type { TerminalPrincipal } from '$server/auth/terminal';
import type { Database } from '$server/db/types';
import type { Locale } from '$lib/i18n';

declare global {
	namespace App {
		interface Locals {
			db: Kysely<Database>;
			user: SessionUser | null;
			session: ValidSession | null;
			/** A paired terminal's credential (SPEC C10), resolved by the hooks. */
			terminal: TerminalPrincipal | null;
			locale: Locale;
			/** Set when a page's load or action met an unreachable database (answered 503). */
			databaseUnavailable?: boolean;
			/** This request's id (its log line and the answer's `x-request-id`). */
			requestId?: string;
		}
		interface PageData {
			locale?: Locale;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
