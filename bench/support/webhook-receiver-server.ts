/**
 * bench:webhooks' receiver, in a process of its own (in the bench's process it would take CPU
 * from the fleet's load): answers every POST 200 and keeps each webhook-id's arrival time;
 * GET /stats returns them. PORT from the environment; prints `listening` when up.
 */
import http from 'node:http';

const arrivals: [string, number][] = [];
const server = http.createServer((request, response) => {
	if (request.method === 'GET') {
		response.writeHead(200, { 'content-type': 'application/json' });
		response.end(JSON.stringify(arrivals));
		return;
	}
	request.resume();
	request.on('end', () => {
		arrivals.push([String(request.headers['webhook-id'] ?? ''), Date.now()]);
		response.end('ok');
	});
});
server.keepAliveTimeout = 30_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
