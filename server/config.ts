import { z } from 'zod';

/**
 * The environment, parsed once. Everything configurable about Kopek is here; nothing else
 * reads `process.env` directly.
 */
const schema = z.object({
	DATABASE_URL: z
		.string()
		.trim()
		.optional()
		.transform((v) => (v ? v : undefined)),
	PORT: z.coerce.number().int().min(1).max(65535).default(3000),
	/**
	 * The public origin behind a TLS proxy (adapter-node reads it too). `https://…` turns on
	 * Strict-Transport-Security (server/http/security-headers.ts).
	 */
	ORIGIN: z
		.string()
		.trim()
		.optional()
		.transform((v) => (v ? v : undefined)),
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
	/** Customer sign-ups / company self-registrations one address may make in any hour (0 = no limit). */
	KOPEK_SIGNUPS_PER_HOUR: z.coerce.number().int().min(0).default(10),
	KOPEK_REGISTRATIONS_PER_HOUR: z.coerce.number().int().min(0).default(10),
	NODE_ENV: z.string().default('development')
});

export type Config = z.infer<typeof schema>;

let cached: Config | undefined;

/** Parses `process.env` on first use; throws a readable error on a bad value. */
export function getConfig(env: Record<string, string | undefined> = process.env): Config {
	if (env === process.env && cached) return cached;
	const parsed = schema.safeParse(env);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
		throw new Error(`Invalid environment:\n${lines.join('\n')}`);
	}
	if (env === process.env) cached = parsed.data;
	return parsed.data;
}
