// postgres.js 3.4.9 can end the process when Postgres restarts under load (issue 7;
// porsager/postgres#1066, #1154, #1208, open upstream): a connection whose socket closed is
// still written to — a write of a reserved (transaction) connection, or one scheduled by
// setImmediate — and `socket.write` on null throws where no caller can catch it. And a
// reserved connection released after its socket closed goes back to the pool's open queue
// as a zombie that fails every query given to it, so the pool would not recover.
//
// This guards both paths, the way the upstream pull requests do: a write without a socket
// fails the queries of that connection with CONNECTION_CLOSED (catchable, answered 503), and
// a released connection that is closed stays in the closed queue, reconnected on demand.
// Run by `postinstall` (npm ci included); idempotent; exits non-zero when the source no
// longer looks like 3.4.9's, so an upgrade cannot silently drop the guard. An install that
// skips scripts (`npm ci --ignore-scripts`) cannot drop it silently either: the server checks
// the `kopek-guard` marks before opening Postgres and refuses to start without them
// (server/db/postgres-guard.ts). Checked in issue 23: 3.4.10 ships the same two code paths
// unchanged; 4.x is a rewrite (no CommonJS build, a new connection module) not adopted here.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const MARK = 'kopek-guard';
const root = path.join(
	path.dirname(fileURLToPath(import.meta.url)),
	'..',
	'node_modules',
	'postgres'
);

const patches = [
	{
		files: ['src/connection.js', 'cjs/src/connection.js'],
		from: `  function nextWrite(fn) {
    const x = socket.write(chunk, fn)`,
		to: `  function nextWrite(fn) {
    if (!socket) { // ${MARK}: the socket closed; fail the waiting queries instead of crashing
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options))
      return true
    }
    const x = socket.write(chunk, fn)`
	},
	{
		files: ['src/index.js', 'cjs/src/index.js'],
		from: `    sql.release = () => {
      c.reserved = null
      onopen(c)
    }`,
		to: `    sql.release = () => {
      c.reserved = null
      // ${MARK}: a connection that closed while reserved is reconnected, never reused as open
      c.queue === closed
        ? queries.length && connect(c, queries.shift())
        : onopen(c)
    }`
	}
];

let failed = false;
for (const patch of patches) {
	for (const file of patch.files) {
		const full = path.join(root, file);
		const source = readFileSync(full, 'utf8');
		if (source.includes(patch.to)) continue;
		if (!source.includes(patch.from)) {
			console.error(
				`[kopek] cannot guard ${full}: postgres.js changed; review scripts/patch-postgres.js`
			);
			failed = true;
			continue;
		}
		writeFileSync(full, source.replace(patch.from, patch.to));
		console.log(`[kopek] guarded ${path.relative(process.cwd(), full)}`);
	}
}
process.exit(failed ? 1 : 0);
