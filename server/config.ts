import { z } from 'zod';
import { parseDatabaseUrl } from './db/url';

function isDatabaseUrl(value: string): boolean {
	try {
		parseDatabaseUrl(value);
		return true;
	} catch {
		return false;
	}
}

/**
 * The environment, parsed once. Everything configurable about Kopek is here; nothing else
 * reads `process.env` directly.
 */
const schema = z.object({
	DATABASE_URL: z
		.string()
		.trim()
		.optional()
		.transform((v) => (v ? v : undefined))
		.refine((v) => v === undefined || isDatabaseUrl(v), {
			message:
				'must be a postgres:// URL, e.g. postgres://kopek@127.0.0.1:5432/kopek, or for a cluster postgres://kopek@h1:5432,h2:5432/kopek?target_session_attrs=read-write'
		}),
	PORT: z.coerce.number().int().min(1).max(65535).default(3000),
	KOPEK_DATA_DIR: z.string().trim().min(1).default('./data'),
	KOPEK_DEMO: z
		.enum(['0', '1', ''])
		.optional()
		.transform((v) => (v === '1' ? true : v === '0' ? false : undefined)),
	DADATA_API_KEY: z
		.string()
		.trim()
		.optional()
		.transform((v) => (v ? v : undefined)),
	DADATA_URL: z
		.string()
		.url()
		.default('https://suggestions.dadata.ru/suggestions/api/4_1/rs/findById/party'),
	/** Test-only faults (server/testing/faults.ts); the e2e runner sets it, never production. */
	KOPEK_TEST_FAULTS: z
		.enum(['0', '1', ''])
		.optional()
		.transform((v) => v === '1'),
	/** `0` turns the automatic close of monthly statements off (the operator still closes). */
	KOPEK_STATEMENT_AUTOCLOSE: z
		.enum(['0', '1', ''])
		.optional()
		.transform((v) => v !== '0'),
	/** Statements close by themselves on this day of the next month, 00:00 company time. */
	KOPEK_STATEMENT_CLOSE_DAY: z.coerce.number().int().min(1).max(28).default(5),
	/** How often a server checks for months due to close (minutes; 0 = never, only at start). */
	KOPEK_STATEMENT_CHECK_MINUTES: z.coerce.number().int().min(0).max(1440).default(15),
	/**
	 * 32 bytes (base64 or 64 hex digits) encrypting secrets at rest (the customers' one-time-code
	 * secrets). Unset: a key generated into KOPEK_DATA_DIR (see server/crypto/secret-key.ts).
	 */
	KOPEK_SECRET_KEY: z
		.string()
		.trim()
		.optional()
		.transform((v) => (v ? v : undefined)),
	/** Customer lookups a company may make in any minute / any 24 hours (0 = no limit). */
	KOPEK_LOOKUPS_PER_MINUTE: z.coerce.number().int().min(0).default(60),
	KOPEK_LOOKUPS_PER_DAY: z.coerce.number().int().min(0).default(600),
	/**
	 * Review rules (server/services/review-rules.ts): the payment of a customer at a company past
	 * this many within an hour, and of a customer by one cashier (or device) past this many
	 * within 24 hours, is held for review.
	 */
	KOPEK_REVIEW_PAYMENTS_PER_HOUR: z.coerce.number().int().min(1).default(5),
	KOPEK_REVIEW_ACTOR_PAYMENTS_PER_DAY: z.coerce.number().int().min(1).default(10),
	/** The hold period the demo starts with (issue 22; the operator changes it later). */
	KOPEK_DEMO_HOLD_DAYS: z.coerce.number().int().min(0).max(30).default(14),
	/** Customer sign-ups / company self-registrations one address may make in any hour (0 = no limit). */
	KOPEK_SIGNUPS_PER_HOUR: z.coerce.number().int().min(0).default(10),
	KOPEK_REGISTRATIONS_PER_HOUR: z.coerce.number().int().min(0).default(10),
	/**
	 * Outgoing mail (password reset links): `smtp://user:pass@host:587` or `smtps://…:465`,
	 * sent with nodemailer. Unset: each mail is written to a file in KOPEK_MAIL_DIR instead.
	 */
	SMTP_URL: z
		.string()
		.trim()
		.optional()
		.transform((v) => (v ? v : undefined))
		.pipe(z.url({ protocol: /^smtps?$/, error: 'must be smtp://… or smtps://…' }).optional()),
	/** The sender of outgoing mail. */
	SMTP_FROM: z.string().trim().min(3).default('Kopek <no-reply@kopek.local>'),
	/** Where mail goes without SMTP_URL: one .eml file per mail (default <KOPEK_DATA_DIR>/mail). */
	KOPEK_MAIL_DIR: z
		.string()
		.trim()
		.optional()
		.transform((v) => (v ? v : undefined)),
	/**
	 * The public address of the app (adapter-node reads it too): links in mail point there, and
	 * `https://…` turns on Strict-Transport-Security (server/http/security-headers.ts).
	 * Unset: the address the request came to.
	 */
	ORIGIN: z
		.string()
		.trim()
		.optional()
		.transform((v) => (v ? v.replace(/\/+$/, '') : undefined))
		.pipe(z.url({ protocol: /^https?$/ }).optional()),
	/** Password reset requests one address / one e-mail may make in any hour (0 = no limit). */
	KOPEK_RESETS_PER_HOUR: z.coerce.number().int().min(0).default(10),
	KOPEK_RESETS_PER_EMAIL_HOUR: z.coerce.number().int().min(0).default(3),
	/**
	 * `1`: webhook URLs may reach loopback, private and link-local addresses and plain HTTP (a
	 * self-hosted network; the tests' local receiver). Off by default (the SSRF guard, SPEC C14).
	 */
	KOPEK_WEBHOOKS_ALLOW_PRIVATE: z
		.enum(['0', '1', ''])
		.optional()
		.transform((v) => v === '1'),
	/** `0`: this process does not deliver webhooks (another instance does). */
	KOPEK_WEBHOOKS_WORKER: z
		.enum(['0', '1', ''])
		.optional()
		.transform((v) => v !== '0'),
	NODE_ENV: z.string().default('development')
});

export type Config = z.infer<typeof schema>;

let cached: Config | undefined;

/**
 * A configuration the server cannot run with. Its message is one line per problem, written
 * for the person starting it (what is wrong and what to do): scripts/start.js and the CLI
 * print it as it is, without a stack trace, and exit.
 */
export class ConfigError extends Error {
	override readonly name = 'ConfigError';
	constructor(readonly problems: string[]) {
		super(problems.join('\n'));
	}
}

/** Parses `process.env` on first use; a bad value throws a ConfigError naming the variable. */
export function getConfig(env: Record<string, string | undefined> = process.env): Config {
	if (env === process.env && cached) return cached;
	const parsed = schema.safeParse(env);
	if (!parsed.success) {
		// Names and reasons only: a value may be a secret (a key, a URL with a password).
		throw new ConfigError(
			parsed.error.issues.map(
				(issue) => `configuration error: ${issue.path.join('.')}: ${issue.message}`
			)
		);
	}
	if (env === process.env) cached = parsed.data;
	return parsed.data;
}
