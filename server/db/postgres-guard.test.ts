import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertPostgresGuarded, GUARD_MARKS, postgresRoot, unguardedFiles } from './postgres-guard';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function fakePostgres(guarded: string[]): string {
	const root = mkdtempSync(path.join(tmpdir(), 'kopek-pg-guard-'));
	dirs.push(root);
	for (const file of [
		'src/connection.js',
		'cjs/src/connection.js',
		'src/index.js',
		'cjs/src/index.js'
	]) {
		mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
		writeFileSync(
			path.join(root, file),
			guarded.includes(file)
				? GUARD_MARKS[file]!.map((mark) => `// ${mark}`).join('\n')
				: '// upstream'
		);
	}
	return root;
}

describe('the postgres.js guard check', () => {
	it('passes on the installed postgres.js (npm ci ran scripts/patch-postgres.js)', () => {
		expect(unguardedFiles(postgresRoot())).toEqual([]);
		expect(() => assertPostgresGuarded()).not.toThrow();
	});

	it('refuses a postgres.js installed without the guard, naming the files', () => {
		const root = fakePostgres(['src/connection.js', 'src/index.js']);
		expect(unguardedFiles(root)).toEqual(['cjs/src/connection.js', 'cjs/src/index.js']);
		expect(() => assertPostgresGuarded(root)).toThrow(/not guarded.*patch-postgres/);
		expect(() => assertPostgresGuarded(path.join(root, 'missing'))).toThrow(/not guarded/);
	});

	it('refuses a postgres.js guarded by an earlier version of the script', () => {
		const root = fakePostgres(Object.keys(GUARD_MARKS));
		writeFileSync(
			path.join(root, 'src/index.js'),
			'// kopek-guard: a connection that closed while reserved is reconnected'
		);
		expect(unguardedFiles(root)).toEqual(['src/index.js']);
	});
});
