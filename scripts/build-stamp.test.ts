import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildDecision, changedFiles, hashSources, writeStamp } from './build-stamp.js';

let root: string;

function put(file: string, text: string) {
	mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
	writeFileSync(path.join(root, file), text);
}

/** What scripts/build.js does after a successful build. */
function build() {
	put('build/handler.js', 'export const handler = 1;');
	writeStamp(root, 'build', hashSources(root));
}

beforeEach(() => {
	root = mkdtempSync(path.join(tmpdir(), 'kopek-stamp-'));
	put('package.json', '{}');
	put('vite.config.ts', 'export default {};');
	put('src/routes/+page.svelte', '<h1>Kopek</h1>');
	put('server/app.ts', 'export const app = 1;');
	put('migrations/0001_initial.ts', 'export const up = 1;');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('npm start builds only when the sources changed', () => {
	it('builds a fresh clone (no build yet)', () => {
		expect(buildDecision(root, 'build')).toMatchObject({ build: true, reason: 'no build yet' });
	});

	it('builds when the build has no record of its sources (one made by vite build alone)', () => {
		put('build/handler.js', 'export const handler = 1;');
		expect(buildDecision(root, 'build').build).toBe(true);
	});

	it('does not build again when nothing changed, even if files were touched', () => {
		build();
		const later = new Date(Date.now() + 60_000);
		utimesSync(path.join(root, 'server/app.ts'), later, later);
		expect(buildDecision(root, 'build')).toMatchObject({
			build: false,
			reason: 'sources unchanged'
		});
	});

	it('builds when a source file changed, and names it', () => {
		build();
		put('server/app.ts', 'export const app = 2;');
		expect(buildDecision(root, 'build')).toMatchObject({
			build: true,
			reason: 'changed: server/app.ts'
		});
	});

	it('builds when a file was added or removed, or the configuration changed', () => {
		build();
		put('src/lib/new.ts', 'export {};');
		expect(buildDecision(root, 'build').reason).toBe('changed: src/lib/new.ts');
		build();
		rmSync(path.join(root, 'migrations/0001_initial.ts'));
		expect(buildDecision(root, 'build').reason).toBe('changed: migrations/0001_initial.ts');
		build();
		put('vite.config.ts', 'export default { x: 1 };');
		expect(buildDecision(root, 'build').reason).toBe('changed: vite.config.ts');
	});

	it('ignores tests beside the code, which the app never imports', () => {
		build();
		put('server/app.test.ts', 'it();');
		put('src/lib/domain/money.test.ts', 'it();');
		expect(buildDecision(root, 'build').build).toBe(false);
	});

	it('builds when the build output is gone', () => {
		build();
		rmSync(path.join(root, 'build/handler.js'));
		expect(buildDecision(root, 'build').build).toBe(true);
	});

	it('keeps a stamp per build directory (the e2e runs build into their own)', () => {
		build();
		expect(buildDecision(root, 'build-e2e-3205').reason).toBe('no build yet');
		expect(buildDecision(root, 'build').build).toBe(false);
	});

	it('lists at most three changed files by name', () => {
		expect(changedFiles({ a: '1', b: '1' }, { a: '2', c: '1' })).toEqual(['a', 'b', 'c']);
		build();
		for (const name of ['a', 'b', 'c', 'd', 'e']) put(`src/${name}.ts`, name);
		expect(buildDecision(root, 'build').reason).toBe(
			'changed: src/a.ts, src/b.ts, src/c.ts and 2 more'
		);
	});
});
