/**
 * bench:webhooks' receiver, in a process of its own: answers every POST 200 and keeps each
 * webhook-id's arrival time; GET /stats returns them. PORT from the environment; prints
 * `listening` when up.
 *
 * It stands for a company's system, which runs on another machine: here it shares the two cores
 * with the fleet and the server, so it is kept as cheap as it can be — HTTP/1.1 read straight off
 * the socket (the requests of one keep-alive connection, by Content-Length; Kopek sends nothing
 * else), about a third of node:http's CPU per request.
 */
import net from 'node:net';

const arrivals: [string, number][] = [];
const OK = Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');

/** A header's value in a request's head (`lower` is the head in lower case, for the name). */
function header(head: string, lower: string, name: string): string | undefined {
	const at = lower.indexOf(`\r\n${name}:`);
	if (at === -1) return undefined;
	const end = head.indexOf('\r\n', at + 2);
	return head.slice(at + name.length + 3, end === -1 ? undefined : end).trim();
}

const server = net.createServer((socket) => {
	let pending: Buffer = Buffer.alloc(0);
	socket.on('data', (chunk: Buffer) => {
		pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
		for (;;) {
			const end = pending.indexOf('\r\n\r\n');
			if (end === -1) return;
			const head = pending.toString('latin1', 0, end);
			const lower = head.toLowerCase();
			const length = Number(header(head, lower, 'content-length') ?? 0);
			if (pending.length < end + 4 + length) return;
			pending = pending.subarray(end + 4 + length);
			if (head.startsWith('GET ')) {
				const body = Buffer.from(JSON.stringify(arrivals));
				socket.write(
					`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`
				);
				socket.write(body);
			} else {
				arrivals.push([header(head, lower, 'webhook-id') ?? '', Date.now()]);
				socket.write(OK);
			}
		}
	});
	socket.on('error', () => socket.destroy());
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
