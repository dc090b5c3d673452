// What a build was made from: the SHA-256 of every source file that goes into it, kept beside
// the build (`<build dir>/.kopek-sources.json`). scripts/build.js compares the sources with it
// and builds only when something changed, so a restart of `npm start` is a start, not a build.
// Contents are hashed, not mtimes: a checkout or a copy that touches every file rebuilds
// nothing, and an edit that keeps the mtime (rare, but tools do it) still rebuilds.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The stamp's file name inside the build directory (the adapter empties it on each build). */
export const STAMP_FILE = '.kopek-sources.json';

/**
 * Everything the build reads: the app's directories (server/ and migrations/ are bundled
 * through the $server and $migrations aliases) and the configuration files. npm writes
 * node_modules/.package-lock.json on every install, so a changed dependency counts too.
 */
export const SOURCE_DIRS = ['src', 'server', 'migrations', 'static'];
export const SOURCE_FILES = [
	'package.json',
	'package-lock.json',
	'svelte.config.js',
	'vite.config.ts',
	'tsconfig.json',
	'node_modules/.package-lock.json'
];

/** Tests beside the code are never imported by the app; editing one needs no build. */
const IGNORED = /\.(test|spec)\.[cm]?[jt]s$/;

/**
 * @param {string} root
 * @param {string} dir
 * @param {string[]} out
 */
function listFiles(root, dir, out) {
	let entries;
	try {
		entries = readdirSync(path.join(root, dir), { withFileTypes: true });
	} catch (error) {
		if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') return;
		throw error;
	}
	for (const entry of entries) {
		const relative = `${dir}/${entry.name}`;
		if (entry.isDirectory()) listFiles(root, relative, out);
		else if (entry.isFile() && !IGNORED.test(entry.name)) out.push(relative);
	}
}

/**
 * The source files' hashes by path (POSIX separators), in a stable order.
 * @param {string} root the project directory
 * @param {string[]} [dirs]
 * @param {string[]} [files]
 * @returns {Record<string, string>}
 */
export function hashSources(root, dirs = SOURCE_DIRS, files = SOURCE_FILES) {
	/** @type {string[]} */
	const paths = [];
	for (const dir of dirs) listFiles(root, dir, paths);
	for (const file of files) if (existsSync(path.join(root, file))) paths.push(file);
	paths.sort();
	/** @type {Record<string, string>} */
	const hashes = {};
	for (const file of paths) {
		hashes[file] = createHash('sha256')
			.update(readFileSync(path.join(root, file)))
			.digest('hex');
	}
	return hashes;
}

/**
 * The stamp of the last successful build in `buildDir`, or null when there is none.
 * @param {string} root
 * @param {string} buildDir
 * @returns {Record<string, string> | null}
 */
export function readStamp(root, buildDir) {
	try {
		const stamp = JSON.parse(readFileSync(path.join(root, buildDir, STAMP_FILE), 'utf8'));
		return stamp && typeof stamp.files === 'object' ? stamp.files : null;
	} catch {
		return null;
	}
}

/**
 * Records what the build just made in `buildDir` was made from.
 * @param {string} root
 * @param {string} buildDir
 * @param {Record<string, string>} files
 */
export function writeStamp(root, buildDir, files) {
	writeFileSync(path.join(root, buildDir, STAMP_FILE), JSON.stringify({ files }) + '\n');
}

/**
 * The paths added, removed or changed between two stamps, sorted.
 * @param {Record<string, string>} before
 * @param {Record<string, string>} after
 */
export function changedFiles(before, after) {
	/** @type {Set<string>} */
	const changed = new Set();
	for (const [file, hash] of Object.entries(after)) if (before[file] !== hash) changed.add(file);
	for (const file of Object.keys(before)) if (!(file in after)) changed.add(file);
	return [...changed].sort();
}

/**
 * Whether `buildDir` must be (re)built from the sources in `root`, and why.
 * @param {string} root
 * @param {string} buildDir
 * @returns {{ build: boolean, reason: string, files: Record<string, string> }}
 */
export function buildDecision(root, buildDir) {
	const files = hashSources(root);
	if (!existsSync(path.join(root, buildDir, 'handler.js'))) {
		return { build: true, reason: 'no build yet', files };
	}
	const before = readStamp(root, buildDir);
	if (!before) return { build: true, reason: 'the build has no record of its sources', files };
	const changed = changedFiles(before, files);
	if (changed.length === 0) return { build: false, reason: 'sources unchanged', files };
	const named = changed.slice(0, 3).join(', ');
	const more = changed.length > 3 ? ` and ${changed.length - 3} more` : '';
	return { build: true, reason: `changed: ${named}${more}`, files };
}
