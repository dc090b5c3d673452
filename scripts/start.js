// Starts the built app (npm start builds it first) with production defaults:
// the embedded database in ./data, demo data on first start, http://localhost:3000.
//
// adapter-node assumes https when ORIGIN is unset, which would make SvelteKit refuse every
// form post made over plain http (localhost, CI). So we serve its handler ourselves and tell
// it the real protocol of each connection. Behind a TLS proxy, set ORIGIN (see README).
import http from 'node:http';

process.env.NODE_ENV ??= 'production';
process.env.PORT ??= '3000';
// Company documents may be up to 10 MB; multipart overhead needs a little more.
process.env.BODY_SIZE_LIMIT ??= '12M';
process.env.PROTOCOL_HEADER ??= 'x-kopek-connection-proto';
const protocolHeader = process.env.PROTOCOL_HEADER;

const buildDir = process.env.KOPEK_BUILD_DIR ?? 'build';
const { handler } = await import(`../${buildDir}/handler.js`);

const server = http.createServer((req, res) => {
	if (protocolHeader === 'x-kopek-connection-proto') {
		req.headers[protocolHeader] =
			'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
	}
	handler(req, res, () => {
		res.statusCode = 404;
		res.end('Not found');
	});
});

const port = Number(process.env.PORT);
const host = process.env.HOST ?? '0.0.0.0';
server.listen(port, host, () => {
	console.log(`[kopek] listening on http://localhost:${port}`);
});

function shutdown() {
	server.close(() => process.exit(0));
	setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
