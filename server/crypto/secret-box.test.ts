import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, getConfig } from '../config';
import { openSecret, sealSecret } from './secret-box';
import { loadSecretKey, parseSecretKey } from './secret-key';

describe('secret box (AES-256-GCM)', () => {
	const key = randomBytes(32);
	const secret = new Uint8Array(randomBytes(20));

	it('opens what it sealed, and never shows the plaintext', () => {
		const sealed = sealSecret(key, secret, 'customer:123455');
		expect(sealed).toMatch(/^v1\./);
		expect(sealed).not.toContain(Buffer.from(secret).toString('base64'));
		expect(openSecret(key, sealed, 'customer:123455')).toEqual(secret);
		// A fresh nonce each time.
		expect(sealSecret(key, secret, 'customer:123455')).not.toBe(sealed);
	});

	it('refuses another key, another owner, or altered bytes', () => {
		const sealed = sealSecret(key, secret, 'customer:123455');
		expect(() => openSecret(randomBytes(32), sealed, 'customer:123455')).toThrow();
		expect(() => openSecret(key, sealed, 'customer:765438')).toThrow();
		const bytes = Buffer.from(sealed.slice(3), 'base64');
		bytes[14]! ^= 1;
		expect(() => openSecret(key, `v1.${bytes.toString('base64')}`, 'customer:123455')).toThrow();
	});
});

describe('the secret key', () => {
	it('reads KOPEK_SECRET_KEY as base64 or hex, 32 bytes only', () => {
		const raw = randomBytes(32);
		expect(parseSecretKey(raw.toString('base64'))).toEqual(raw);
		expect(parseSecretKey(raw.toString('hex'))).toEqual(raw);
		expect(() => parseSecretKey('c2hvcnQ=')).toThrow(/32 bytes/);
	});

	it('without it, generates one key into the data directory and keeps it', () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'kopek-key-'));
		try {
			const config = getConfig({ KOPEK_DATA_DIR: dir, NODE_ENV: 'test' });
			const first = loadSecretKey(config);
			expect(first).toHaveLength(32);
			expect(loadSecretKey(config)).toEqual(first);
			const file = path.join(dir, 'secret.key');
			expect(statSync(file).mode & 0o777).toBe(0o600);
			expect(parseSecretKey(readFileSync(file, 'utf8'))).toEqual(first);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('is required in production on Postgres', () => {
		const config = getConfig({
			DATABASE_URL: 'postgres://x@127.0.0.1/kopek',
			NODE_ENV: 'production'
		});
		expect(() => loadSecretKey(config)).toThrow(/KOPEK_SECRET_KEY is required/);
		// One line for the person starting it (scripts/start.js prints it without a stack).
		expect(() => loadSecretKey(config)).toThrow(ConfigError);
		expect(() => loadSecretKey(config)).toThrow(/^[^\n]*openssl rand -base64 32[^\n]*$/);
	});
});
