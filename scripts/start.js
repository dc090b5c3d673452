// Starts the built app (npm start builds it first) with production defaults:
// the embedded database in ./data, demo data on first start, http://localhost:3000.
//
// adapter-node assumes https when ORIGIN is unset, which would make SvelteKit refuse every
// form post made over plain http (localhost, CI). So we serve its handler ourselves and tell
// it the real protocol of each connection. Behind a TLS proxy, set ORIGIN (see README).
import fs from 'node:fs';
import http from 'node:http';
import { syncBuiltinESMExports } from 'node:module';
import { fileURLToPath } from 'node:url';

process.env.NODE_ENV ??= 'production';
process.env.PORT ??= '3000';
// Company documents may be up to 10 MB; multipart overhead needs a little more.
process.env.BODY_SIZE_LIMIT ??= '12M';
process.env.PROTOCOL_HEADER ??= 'x-kopek-connection-proto';
const protocolHeader = process.env.PROTOCOL_HEADER;

// A static file that vanished under the running server (a deploy replacing build/ in place)
// made sirv's ReadStream emit an unhandled 'error' (ENOENT) and end the process (issue 7).
// sirv pipes each file into the response without an error listener; this gives every piped
// file stream one: the response is cut off (the browser or the service worker retries) and
// the server keeps serving. Set before the handler is imported, which binds createReadStream.
const createReadStream = fs.createReadStream;
fs.createReadStream = function guardedCreateReadStream(...args) {
	const stream = createReadStream.apply(this, args);
	const pipe = stream.pipe;
	stream.pipe = function guardedPipe(destination, options) {
		stream.once('error', (error) => {
			log('warn', 'static file unreadable', { code: error.code, file: String(args[0]) });
			if (destination && !destination.headersSent && 'statusCode' in destination) {
				destination.statusCode = 404;
				destination.end();
			} else destination?.destroy?.();
		});
		return pipe.call(this, destination, options);
	};
	return stream;
};
syncBuiltinESMExports();

/** One JSON line per event, like the server's request log (pino's shape). */
function log(level, msg, fields = {}) {
	const levels = { info: 30, warn: 40, error: 50, fatal: 60 };
	process.stdout.write(
		JSON.stringify({ level: levels[level], time: Date.now(), msg, ...fields }) + '\n'
	);
}

const buildDir = process.env.KOPEK_BUILD_DIR ?? 'build';
const handler = await loadHandler();

/**
 * Imports the app, which reads its configuration and opens the database before serving.
 * A configuration it cannot run with (server/config.ts's ConfigError: a missing secret key, a
 * bad value) ends the start with its one line per problem and no stack trace.
 */
async function loadHandler() {
	try {
		return (await import(`../${buildDir}/handler.js`)).handler;
	} catch (error) {
		if (error?.name !== 'ConfigError') throw error;
		for (const line of String(error.message).split('\n')) console.error(`[kopek] ${line}`);
		process.exit(1);
	}
}
// The app's init hook registers it (server/http/security-headers.ts): the security headers,
// set on every response before anyone writes it — SvelteKit, adapter-node's static files and
// prerendered pages, the sync fast path and the 404 below; a page's own CSP replaces the default.
const prerendered = fileURLToPath(new URL(`../${buildDir}/prerendered`, import.meta.url));
const setSecurityHeaders =
	globalThis[Symbol.for('kopek.security-headers')]?.(prerendered) ?? (() => {});

const server = http.createServer((req, res) => {
	setSecurityHeaders(res);
	if (protocolHeader === 'x-kopek-connection-proto') {
		req.headers[protocolHeader] =
			'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
	}
	// payments.sync, the hot call of a fleet of counters, beside SvelteKit (issue 11): the
	// app's init hook registers it (server/http/fast-sync.ts); the same functions serve it.
	const fastSync = globalThis[Symbol.for('kopek.fast-sync')];
	if (
		fastSync &&
		req.method === 'POST' &&
		(req.url === '/api/trpc/payments.sync' || req.url?.startsWith('/api/trpc/payments.sync?'))
	) {
		fastSync(req, res).catch((error) => {
			log('error', 'sync fast path failed', { message: String(error?.message ?? error) });
			if (!res.headersSent) res.statusCode = 500;
			res.end();
		});
		return;
	}
	const notFound = () => {
		res.statusCode = 404;
		res.end('Not found');
	};
	// The till API (issue 20) likewise: server/http/fast-api.ts, the same handler as SvelteKit's
	// route; a request it does not take as it is goes on to SvelteKit.
	const fastApi = globalThis[Symbol.for('kopek.fast-api')];
	if (fastApi && req.url?.startsWith('/api/v1/')) {
		fastApi(req, res, () => handler(req, res, notFound)).catch((error) => {
			log('error', 'API fast path failed', { message: String(error?.message ?? error) });
			if (!res.headersSent) res.statusCode = 500;
			res.end();
		});
		return;
	}
	handler(req, res, notFound);
});

const port = Number(process.env.PORT);
const host = process.env.HOST ?? '0.0.0.0';
server.listen(port, host, () => {
	console.log(`[kopek] listening on http://localhost:${port}`);
});
// Slow or stalled clients cannot hold a connection open forever.
server.requestTimeout = 130_000;
server.headersTimeout = 20_000;

// Graceful shutdown: stop accepting, let in-flight requests finish (at most 10 s), then let
// the app close its database pool ('sveltekit:shutdown', as adapter-node's own server does).
let stopping = false;
function shutdown(signal) {
	if (stopping) return;
	stopping = true;
	log('info', 'shutting down', { signal });
	const force = setTimeout(() => {
		log('warn', 'in-flight requests still running after 10 s; closing them');
		server.closeAllConnections();
	}, 10_000);
	force.unref();
	server.close(async () => {
		clearTimeout(force);
		const done = setTimeout(() => process.exit(0), 5000);
		done.unref();
		const listeners = process.listeners('sveltekit:shutdown');
		await Promise.allSettled(listeners.map((listener) => listener(signal)));
		process.exit(0);
	});
	server.closeIdleConnections();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

// Last resort: every known failure path is handled where it happens (the database's in
// server/db, static files above). Anything else is logged as one JSON line; the process then
// exits, because its state is unknown, and the supervisor starts a clean one.
process.on('uncaughtException', (error) => {
	log('fatal', 'uncaught exception', {
		err: { type: error?.name, message: error?.message, stack: error?.stack }
	});
	process.exit(1);
});
process.on('unhandledRejection', (reason) => {
	// A rejection nobody awaited does not corrupt shared state: log it and keep serving.
	log('error', 'unhandled rejection', {
		err: { message: String(reason?.message ?? reason), stack: reason?.stack }
	});
});
