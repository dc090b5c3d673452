// Builds the app into KOPEK_BUILD_DIR (default build/) when its sources changed since the last
// build (scripts/build-stamp.js), else says so and does nothing: `npm start` runs it first, so
// a restart takes a second instead of a build. Vite's output (hundreds of lines of file sizes)
// is kept back and shown only when the build fails; the operator sees one line.
//   --force    build even when nothing changed (`npm run build`)
//   --verbose  show Vite's own output as it builds
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDecision, writeStamp } from './build-stamp.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = process.env.KOPEK_BUILD_DIR ?? 'build';
const force = process.argv.includes('--force');
const verbose = process.argv.includes('--verbose');

const decision = buildDecision(root, buildDir);
if (!decision.build && !force) {
	console.log(`[kopek] ${buildDir}/ is up to date (sources unchanged since its build)`);
	process.exit(0);
}

console.log(`[kopek] building ${buildDir}/ (${force ? 'asked for' : decision.reason})…`);
const started = Date.now();
const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const child = spawn(process.execPath, [vite, 'build', ...(verbose ? [] : ['--logLevel', 'warn'])], {
	cwd: root,
	stdio: verbose ? 'inherit' : ['ignore', 'pipe', 'pipe']
});
let output = '';
child.stdout?.on('data', (chunk) => (output += chunk));
child.stderr?.on('data', (chunk) => (output += chunk));
child.on('close', (code, signal) => {
	if (code !== 0) {
		if (!verbose) process.stderr.write(output);
		console.error(`[kopek] the build failed (${signal ?? `exit code ${code}`})`);
		process.exit(code || 1);
	}
	// The hashes taken before the build: a file edited while it ran is built next time.
	writeStamp(root, buildDir, decision.files);
	console.log(`[kopek] built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
});
