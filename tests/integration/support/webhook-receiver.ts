import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
	headers: Record<string, string>;
	body: string;
	at: number;
	/** The status this receiver answered. */
	status: number;
}

/**
 * A local webhook receiver for tests and benchmarks: records every POST (headers, raw body,
 * arrival time) and answers 200, or `status` for the next `failures` requests.
 */
export async function startReceiver(port = 0) {
	const received: Received[] = [];
	let failures = 0;
	let failStatus = 500;
	const waiters: (() => void)[] = [];
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (c: Buffer) => chunks.push(c));
		request.on('end', () => {
			const headers: Record<string, string> = {};
			for (const [k, v] of Object.entries(request.headers))
				if (typeof v === 'string') headers[k] = v;
			const failing = failures > 0;
			received.push({
				headers,
				body: Buffer.concat(chunks).toString('utf8'),
				at: Date.now(),
				status: failing ? failStatus : 200
			});
			if (failing) {
				failures--;
				response.writeHead(failStatus, { 'content-type': 'text/plain' });
				response.end(`failing on purpose (${failStatus}) ` + 'x'.repeat(2000));
			} else {
				response.writeHead(200, { 'content-type': 'text/plain' });
				response.end('ok');
			}
			for (const wake of waiters.splice(0)) wake();
		});
	});
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	const address = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${address.port}/hook`,
		port: address.port,
		received,
		/** The next `n` requests are answered `status`. */
		fail(n: number, status = 500) {
			failures = n;
			failStatus = status;
		},
		/** Resolves once `count` requests have arrived (or rejects after `timeoutMs`). */
		async waitFor(count: number, timeoutMs = 20_000) {
			const deadline = Date.now() + timeoutMs;
			while (received.length < count) {
				if (Date.now() > deadline)
					throw new Error(`receiver: ${received.length} of ${count} requests arrived`);
				await new Promise<void>((resolve) => {
					waiters.push(resolve);
					setTimeout(resolve, 200);
				});
			}
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
