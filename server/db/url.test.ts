import { describe, expect, it } from 'vitest';
import { getConfig } from '../config';
import { describeDatabase, parseDatabaseUrl } from './url';

describe('parseDatabaseUrl', () => {
	it('reads one host with its default port', () => {
		expect(parseDatabaseUrl('postgres://kopek:secret@db.example/kopek')).toEqual({
			hosts: [{ host: 'db.example', port: 5432 }],
			database: 'kopek',
			targetSessionAttrs: 'any'
		});
	});

	it('reads the hosts of a cluster and target_session_attrs', () => {
		const address = parseDatabaseUrl(
			'postgresql://kopek:p%40ss@10.0.0.1:5433,10.0.0.2,db3:6000/kopek?target_session_attrs=read-write&sslmode=disable'
		);
		expect(address.hosts).toEqual([
			{ host: '10.0.0.1', port: 5433 },
			{ host: '10.0.0.2', port: 5432 },
			{ host: 'db3', port: 6000 }
		]);
		expect(address.database).toBe('kopek');
		expect(address.targetSessionAttrs).toBe('read-write');
	});

	it('reads a single bracketed IPv6 host', () => {
		expect(parseDatabaseUrl('postgres://kopek@[::1]:6000/kopek').hosts).toEqual([
			{ host: '[::1]', port: 6000 }
		]);
	});

	it('refuses what postgres.js could not use', () => {
		for (const bad of [
			'mysql://x@h/db',
			'postgres://x@h1:5432,,h2/db',
			'postgres://x@h1:99999/db',
			'postgres://x@h1:54a/db',
			'postgres://x@h1,h2/db?target_session_attrs=leader',
			'postgres://x@[::1]:5432,h2/db'
		]) {
			expect(() => parseDatabaseUrl(bad), bad).toThrow();
		}
	});

	it('describes hosts and database without credentials', () => {
		const text = describeDatabase(
			'postgres://kopek:secret@h1:5432,h2:5433/kopek?target_session_attrs=read-write'
		);
		expect(text).toBe('h1:5432,h2:5433/kopek');
		expect(text).not.toContain('secret');
	});
});

describe('DATABASE_URL in the configuration', () => {
	it('accepts a multi-host URL and refuses a malformed one', () => {
		const url =
			'postgres://kopek@127.0.0.1:5441,127.0.0.1:5442/kopek?target_session_attrs=read-write';
		expect(getConfig({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
		expect(() => getConfig({ DATABASE_URL: 'postgres://kopek@h1,/kopek' })).toThrow(/DATABASE_URL/);
	});
});
