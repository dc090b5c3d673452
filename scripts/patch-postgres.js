// postgres.js 3.4.9 can end the process when Postgres restarts under load (issue 7;
// porsager/postgres#1066, #1154, #1208, open upstream): a connection whose socket closed is
// still written to — a write of a reserved (transaction) connection, or one scheduled by
// setImmediate — and `socket.write` on null throws where no caller can catch it.
//
// And it can give a query another query's answer when connections end under load (the
// failover test's 500s/401s and `TypeError` in DataRow, docs/DEPLOY.md): a connection that
// closes while reserved (a Kysely transaction's) is reconnected at once by the pool for the
// next waiting query, but the reserving handle still held it — its ROLLBACK was written to the
// new connection (during its startup, or inside another caller's work), and its release put
// the reconnecting connection into the open queue, so queries were written before the startup's
// ReadyForQuery, which then "answered" the first of them; every later answer went to the query
// before its own. Nothing in connection.js noticed: a closed socket left its current query,
// rows and error answer in place, and a DataRow with no query (or before its description)
// threw a TypeError that failed one query and carried on.
//
// This guards: a write without a socket fails the connection's queries (CONNECTION_CLOSED,
// answered 503); a reserving handle owns its connection only until it closes — its queries
// then fail and its release gives nothing back; a query is written only on a connection
// through its startup; a closed socket fails every query sent on it and forgets them; an
// answer that cannot be the current query's drops the socket and fails all its queries; a
// reserve() waiting when a connection closes is not dropped from the queue; the startup's own
// queries failing is not an unhandled rejection. tests/integration/postgres-stale-connection
// reproduces each with a cutting proxy and fails without the guard.
//
// Run by `postinstall` (npm ci included); idempotent (a file patched by an earlier version
// of this script is brought up to date); exits non-zero when the source no longer looks like
// 3.4.9's, so an upgrade cannot silently drop the guard. An install that skips scripts
// (`npm ci --ignore-scripts`) cannot drop it silently either: the server checks the
// `kopek-guard` marks before opening Postgres and refuses to start without every one of them
// (server/db/postgres-guard.ts). Checked in issue 23: 3.4.10 ships the same code paths
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
	// A query is written only on a connection through its startup (ReadyForQuery): one written
	// before would be answered by the startup's ReadyForQuery, and every answer after it would
	// go to the query before its own.
	{
		files: ['src/connection.js', 'cjs/src/connection.js'],
		from: `  let socket = null
    , cancelMessage`,
		to: `  let socket = null
    , ready = false // ${MARK}: through its startup; a query is written only then
    , cancelMessage`
	},
	{
		files: ['src/connection.js', 'cjs/src/connection.js'],
		from: `    if (q.cancelled)
      return

    try {`,
		to: `    if (q.cancelled)
      return

    if (!socket || !ready) // ${MARK}: closed, or not through its startup: nothing may be written
      return queryError(q, Errors.connection('CONNECTION_CLOSED', options))

    try {`
	},
	{
		files: ['src/connection.js', 'cjs/src/connection.js'],
		from: `  async function connect() {
    terminated = false`,
		to: `  async function connect() {
    ready = false // ${MARK}
    terminated = false`
	},
	{
		files: ['src/connection.js', 'cjs/src/connection.js'],
		from: `  function ReadyForQuery(x) {
    if (query) {`,
		to: `  function ReadyForQuery(x) {
    ready = true // ${MARK}
    if (query) {`
	},
	{
		files: ['src/connection.js', 'cjs/src/connection.js'],
		from: `  function drain() {
    !query && onopen(connection)`,
		to: `  function drain() {
    !query && ready && onopen(connection) // ${MARK}: a connection in its startup opens at its end`
	},
	// A closed socket answers nothing more: every query sent on it fails (also those sent
	// between its 'error' and 'close'), and nothing of it (the current query, its rows, an error
	// answer) is left for the next socket's answers to land on.
	{
		files: ['src/connection.js', 'cjs/src/connection.js'],
		from: `    socket.removeAllListeners()
    socket = null

    if (initial)
      return reconnect()`,
		to: `    socket.removeAllListeners()
    socket = null
    forget(Errors.connection('CONNECTION_CLOSED', options)) // ${MARK}

    if (initial)
      return reconnect()`
	},
	// An answer that cannot be the current query's (no query, or rows before their description)
	// means the answers and the queries no longer pair: the socket is destroyed and every query
	// on it fails (answered 503, retried), rather than any query getting another's answer.
	{
		files: ['src/connection.js', 'cjs/src/connection.js'],
		from: `  /* Handlers */
  function handle(xs, x = xs[0]) {
    (`,
		to: `  // ${MARK}: fails every query on this connection and clears what an answer could land on
  function forget(err) {
    ready = false
    stream && (stream.destroy(err), stream = null)
    query && queryError(query, err)
    while (sent.length)
      queryError(sent.shift(), err)
    query = results = errorResponse = null
    result = new Result()
    rows = 0
  }

  // ${MARK}: answers out of step with the queries: fail them all and drop the socket
  function desync(x) {
    forget(Object.assign(Errors.connection('CONNECTION_DESTROYED', options, socket), {
      reason: 'kopek-guard: answer ' + String.fromCharCode(x) + ' without its query'
    }))
    socket && socket.destroy()
  }

  /* Handlers */
  function handle(xs, x = xs[0]) {
    if (query === null ? x in needsQuery : x === 68 && !(query.statement && query.statement.columns))
      return desync(x); // ${MARK}: the rest of this socket is dropped
    (`
	},
	{
		files: ['src/connection.js', 'cjs/src/connection.js'],
		from: `function parseError(x) {`,
		to: `// ${MARK}: answers that belong to a query: D C 2 1 t T n s 3 G H W
const needsQuery = { 68: 1, 67: 1, 50: 1, 49: 1, 116: 1, 84: 1, 110: 1, 115: 1, 51: 1, 71: 1, 72: 1, 87: 1 }

function parseError(x) {`
	},
	{
		files: ['src/connection.js', 'cjs/src/connection.js'],
		from: `    while (incoming.length > 4) {
      length = incoming.readUInt32BE(1)`,
		to: `    while (incoming.length > 4) {
      if (!socket || socket.destroyed) // ${MARK}: dropped (desync): the rest is no one's answer
        return (incoming = Buffer.alloc(0), remaining = 0, incomings = null)
      length = incoming.readUInt32BE(1)`
	},
	// A reserved handle owns its connection until that connection closes: then the pool
	// reconnects it, maybe for another caller, and the handle's queries fail and its release
	// gives back nothing (it used to put the reconnecting connection into the pool: answers
	// went to the wrong queries — the failover test's TypeError in DataRow, 500s and 401s).
	{
		files: ['src/index.js', 'cjs/src/index.js'],
		from: `    c.reserved.release = true

    const sql = Sql(handler)`,
		to: `    c.reserved.release = true
    const reservation = c.reserved // ${MARK}: this handle's, until the connection closes

    const sql = Sql(handler)`
	},
	{
		files: ['src/index.js', 'cjs/src/index.js'],
		from: [
			`    sql.release = () => {
      c.reserved = null
      onopen(c)
    }`,
			`    sql.release = () => {
      c.reserved = null
      // ${MARK}: a connection that closed while reserved is reconnected, never reused as open
      c.queue === closed
        ? queries.length && connect(c, queries.shift())
        : onopen(c)
    }`
		],
		to: `    sql.release = () => {
      // ${MARK}: a connection that closed while reserved is the pool's again (onclose)
      if (c.reserved !== reservation)
        return
      c.reserved = null
      onopen(c)
    }`
	},
	{
		files: ['src/index.js', 'cjs/src/index.js'],
		from: `    function handler(q) {
      c.queue === full
        ? queue.push(q)
        : c.execute(q) || move(c, full)
    }`,
		to: `    function handler(q) {
      if (c.reserved !== reservation) // ${MARK}: closed (or released) since: not this handle's
        return q.reject(Errors.connection('CONNECTION_CLOSED', options))
      c.queue === full
        ? queue.push(q)
        : c.execute(q) || move(c, full)
    }`
	},
	// The startup's own queries (array types, the session's state for target_session_attrs)
	// fail when their socket closes (above, and upstream on a socket error); nobody awaits them,
	// so their rejection was unhandled and ended the process. The connection reconnects or fails
	// its waiting query either way.
	{
		files: ['src/connection.js', 'cjs/src/connection.js'],
		from: `        return fetchArrayTypes()`,
		to: `        return fetchArrayTypes().catch(noop) // ${MARK}: its failure is the connection's`
	},
	{
		files: ['src/connection.js', 'cjs/src/connection.js'],
		from: `      backendParameters.in_hot_standby = b.pg_is_in_recovery ? 'on' : 'off'
    }
    query.execute()`,
		to: `      backendParameters.in_hot_standby = b.pg_is_in_recovery ? 'on' : 'off'
    }
    query.execute().catch(noop) // ${MARK}: its failure is the connection's`
	},
	// A reserve() waiting when a connection closes: onclose reconnects that connection with the
	// first waiting query, and a reserve request taken out of the queue was never answered (the
	// transaction hung for good). It stays queued until a connection opens for it, and leaves
	// the queue when it fails (else the connection opened later went to a settled promise and
	// was lost to the pool).
	{
		files: ['src/index.js', 'cjs/src/index.js'],
		from: `        const query = { reserve: resolve, reject }`,
		to: `        const query = { reserve: resolve, reject: e => (queries.remove(query), reject(e)) } // ${MARK}`
	},
	{
		files: ['src/index.js', 'cjs/src/index.js'],
		from: `    options.onclose && options.onclose(c.id)
    queries.length && connect(c, queries.shift())`,
		to: `    options.onclose && options.onclose(c.id)
    const next = queries.length && queries.shift() // ${MARK}: a reserve request stays queued
    next && connect(c, next.reserve ? queries.push(next) : next)`
	}
];

let failed = false;
for (const patch of patches) {
	for (const file of patch.files) {
		const full = path.join(root, file);
		const source = readFileSync(full, 'utf8');
		if (source.includes(patch.to)) continue;
		// `from` can list earlier guarded versions of the same code too.
		const from = [patch.from].flat().find((text) => source.includes(text));
		if (!from) {
			console.error(
				`[kopek] cannot guard ${full}: postgres.js changed; review scripts/patch-postgres.js`
			);
			failed = true;
			continue;
		}
		writeFileSync(full, source.replace(from, patch.to));
		console.log(`[kopek] guarded ${path.relative(process.cwd(), full)}`);
	}
}
process.exit(failed ? 1 : 0);
