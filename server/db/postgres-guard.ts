/**
 * postgres.js 3.4.9/3.4.10 can end the process when Postgres restarts or fails over under load
 * (porsager/postgres #1066, #1154, #1208; open upstream). scripts/patch-postgres.js guards
 * node_modules at install time (postinstall), marking each edit with `kopek-guard`. An install
 * without scripts (`npm ci --ignore-scripts`, a copied node_modules) would drop the guard
 * silently, so the server checks for the marks before it opens Postgres and refuses to start
 * without them. Each file must carry every mark of the current guard: one patched by an earlier
 * version of the script (without the reserved-connection and answer-order guards) is refused too.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export const GUARD_MARK = 'kopek-guard';
const CONNECTION_MARKS = [
	`${GUARD_MARK}: the socket closed`,
	`${GUARD_MARK}: answers out of step`,
	`${GUARD_MARK}: through its startup`
];
const INDEX_MARKS = [
	`${GUARD_MARK}: this handle's, until the connection closes`,
	`${GUARD_MARK}: a reserve request stays queued`
];
/** Each guarded file of postgres.js and the marks scripts/patch-postgres.js leaves in it. */
export const GUARD_MARKS: Record<string, string[]> = {
	'src/connection.js': CONNECTION_MARKS,
	'cjs/src/connection.js': CONNECTION_MARKS,
	'src/index.js': INDEX_MARKS,
	'cjs/src/index.js': INDEX_MARKS
};

/** The files of postgres.js at `root` that lack the guard (empty: all guarded). */
export function unguardedFiles(root: string): string[] {
	return Object.entries(GUARD_MARKS)
		.filter(([file, marks]) => {
			try {
				const source = readFileSync(path.join(root, file), 'utf8');
				return !marks.every((mark) => source.includes(mark));
			} catch {
				return true;
			}
		})
		.map(([file]) => file);
}

/** Where the postgres.js that Node loads lives (its package root). */
export function postgresRoot(): string {
	const entry = createRequire(import.meta.url).resolve('postgres');
	return path.resolve(path.dirname(entry), '..', '..');
}

/** Throws when the installed postgres.js lacks the guard: the server must not run on it. */
export function assertPostgresGuarded(root = postgresRoot()): void {
	const missing = unguardedFiles(root);
	if (missing.length) {
		throw new Error(
			`postgres.js at ${root} is not guarded (${missing.join(', ')}): it can crash the server ` +
				`when Postgres restarts or fails over. Run \`node scripts/patch-postgres.js\` ` +
				`(npm ci runs it; --ignore-scripts skips it).`
		);
	}
}
