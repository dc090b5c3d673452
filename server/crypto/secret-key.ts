import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from '../config';

/** How to make a key, in the words of every message that asks for one. */
export const MAKE_A_KEY =
	'make one with `openssl rand -base64 32` ' +
	"(or `node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\"`)";

/** Name of the generated key file inside KOPEK_DATA_DIR. */
export const SECRET_KEY_FILE = 'secret.key';

/** Parses a 32-byte key written as base64 (standard or URL-safe) or 64 hex digits. */
export function parseSecretKey(text: string, source = 'KOPEK_SECRET_KEY'): Buffer {
	const trimmed = text.trim();
	const bytes = /^[0-9a-f]{64}$/i.test(trimmed)
		? Buffer.from(trimmed, 'hex')
		: Buffer.from(trimmed, 'base64');
	if (bytes.length !== 32) {
		throw new ConfigError([
			`configuration error: ${source} must be 32 bytes, as base64 or 64 hex digits (this one is ${bytes.length}); ${MAKE_A_KEY}`
		]);
	}
	return bytes;
}

/**
 * The key that encrypts secrets at rest (AES-256-GCM):
 * - `KOPEK_SECRET_KEY` when set (required in production on Postgres: several servers share
 *   one database, so they must share one key, and it must not live beside the data);
 * - otherwise a key generated once into `KOPEK_DATA_DIR/secret.key` (mode 0600) and read back
 *   on every start: the embedded default, and development and tests on Postgres. Losing that
 *   file makes the stored secrets unreadable (customers then get new ones, see otp-secrets).
 */
export function loadSecretKey(config: Config): Buffer {
	if (config.KOPEK_SECRET_KEY) return parseSecretKey(config.KOPEK_SECRET_KEY);
	if (config.DATABASE_URL && config.NODE_ENV === 'production') {
		throw new ConfigError([
			`configuration error: KOPEK_SECRET_KEY is required in production on Postgres (the same on every instance, kept outside the database): ${MAKE_A_KEY} and start again with KOPEK_SECRET_KEY=<that key>`
		]);
	}
	const dir = path.resolve(config.KOPEK_DATA_DIR);
	const file = path.join(dir, SECRET_KEY_FILE);
	try {
		return parseSecretKey(readFileSync(file, 'utf8'), file);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
	}
	mkdirSync(dir, { recursive: true });
	try {
		// 'wx': of two processes starting at once, one writes and the other reads its key.
		writeFileSync(file, randomBytes(32).toString('base64') + '\n', { flag: 'wx', mode: 0o600 });
		chmodSync(file, 0o600);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
	}
	return parseSecretKey(readFileSync(file, 'utf8'), file);
}
