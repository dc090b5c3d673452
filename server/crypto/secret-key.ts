import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';

/** Name of the generated key file inside KOPEK_DATA_DIR. */
export const SECRET_KEY_FILE = 'secret.key';

/** Parses a 32-byte key written as base64 (standard or URL-safe) or 64 hex digits. */
export function parseSecretKey(text: string): Buffer {
	const trimmed = text.trim();
	const bytes = /^[0-9a-f]{64}$/i.test(trimmed)
		? Buffer.from(trimmed, 'hex')
		: Buffer.from(trimmed, 'base64');
	if (bytes.length !== 32) {
		throw new Error('KOPEK_SECRET_KEY must be 32 bytes, as base64 or 64 hex digits');
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
		throw new Error(
			'KOPEK_SECRET_KEY is required in production on Postgres (32 bytes: openssl rand -base64 32)'
		);
	}
	const dir = path.resolve(config.KOPEK_DATA_DIR);
	const file = path.join(dir, SECRET_KEY_FILE);
	try {
		return parseSecretKey(readFileSync(file, 'utf8'));
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
	return parseSecretKey(readFileSync(file, 'utf8'));
}
